namespace Trackelio.Functions.Responses;

/// <summary>NPS, CSAT and survey responses: their store, the once-per-period limits, and the scores analytics reads.</summary>
public static class ResponsesModule
{
    public static IServiceCollection AddResponses(this IServiceCollection services)
    {
        services.AddSingleton<ResponseDays>();
        services.AddSingleton<IResponseStore, TableResponseStore>();
        services.AddSingleton<IResponseLimits, TableResponseLimits>();
        services.AddSingleton<IResponseFigures, ResponseFigures>();
        services.AddSingleton<ResponseIntake>();
        return services;
    }
}
