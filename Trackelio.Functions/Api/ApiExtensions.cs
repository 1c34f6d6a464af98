namespace Trackelio.Functions.Api;

/// <summary>The conventions both APIs share: JSON, request ids, the error envelope.</summary>
public static class ApiExtensions
{
    public static IServiceCollection AddTrackelioApi(this IServiceCollection services)
    {
        services.ConfigureHttpJsonOptions(options => TrackelioJson.Configure(options.SerializerOptions));
        return services;
    }

    public static IApplicationBuilder UseTrackelioApi(this IApplicationBuilder app)
    {
        app.UseMiddleware<RequestIdMiddleware>();
        app.UseMiddleware<ErrorHandlingMiddleware>();
        // Routing's own 404/405 (and any other empty error) get the envelope too.
        app.UseStatusCodePages(context => ApiError.FromStatus(context.HttpContext.Response.StatusCode).ExecuteAsync(context.HttpContext));
        return app;
    }
}
