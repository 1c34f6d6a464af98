namespace Trackelio.Functions.Api;

/// <summary>The conventions both APIs share: JSON, request ids, the error envelope.</summary>
public static class ApiExtensions
{
    public static IServiceCollection AddTrackelioApi(this IServiceCollection services)
    {
        services.ConfigureHttpJsonOptions(options => TrackelioJson.Configure(options.SerializerOptions));
        services.AddOptions<StorageDeadlineOptions>().BindConfiguration("Trackelio:Storage")
            .Validate(o => o.RequestDeadline > TimeSpan.Zero && o.UploadDeadline > TimeSpan.Zero, "Storage deadlines must be positive.")
            .ValidateOnStart();
        return services;
    }

    public static IApplicationBuilder UseTrackelioApi(this IApplicationBuilder app)
    {
        app.UseMiddleware<RequestIdMiddleware>();
        app.UseMiddleware<ErrorHandlingMiddleware>();
        app.UseMiddleware<HeadRequestMiddleware>();
        app.UseRouting(); // after HEAD became GET, before the deadline reads the endpoint
        app.UseMiddleware<StorageDeadlineMiddleware>();
        return app;
    }
}
