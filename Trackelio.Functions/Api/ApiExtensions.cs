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
        // Routing's own 404/405 (and any other empty error) get the envelope too.
        app.UseStatusCodePages(context => ApiError.FromStatus(context.HttpContext.Response.StatusCode).ExecuteAsync(context.HttpContext));
        app.UseMiddleware<HeadRequestMiddleware>();
        app.UseRouting(); // after HEAD became GET, before the deadline reads the endpoint
        app.UseMiddleware<StorageDeadlineMiddleware>();
        return app;
    }
}
