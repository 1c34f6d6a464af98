namespace Trackelio.Functions.Messenger;

/// <summary>Conversations between visitors and the team.</summary>
public static class MessengerModule
{
    public static IServiceCollection AddMessenger(this IServiceCollection services)
    {
        services.AddSingleton<ConversationStore>();
        services.AddSingleton<ConversationSignals>();
        services.AddSingleton<MessengerService>();
        return services;
    }
}
