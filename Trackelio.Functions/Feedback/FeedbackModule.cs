namespace Trackelio.Functions.Feedback;

/// <summary>Feedback: submissions on their way in, the records, their counters and idempotency keys.</summary>
public static class FeedbackModule
{
    public static IServiceCollection AddFeedback(this IServiceCollection services)
    {
        services.AddSingleton<IIdempotencyStore, TableIdempotencyStore>();
        services.AddSingleton<ISubmissionQueue, SubmissionQueue>();
        services.AddSingleton<IFeedbackStore, TableFeedbackStore>();
        services.AddSingleton<ICounterStore, TableCounterStore>();
        services.AddSingleton<DailyFigures>();
        services.AddSingleton<NewFeedbackDigest>();
        return services;
    }
}
