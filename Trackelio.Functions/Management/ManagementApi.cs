using Trackelio.Functions.Api;
using Trackelio.Functions.Api.Requests;
using Trackelio.Functions.Management.Analytics;
using Trackelio.Functions.Management.Announcements;
using Trackelio.Functions.Management.Surveys;
using Trackelio.Functions.Management.Auth;
using Trackelio.Functions.Management.Conversations;
using Trackelio.Functions.Management.Feedback;
using Trackelio.Functions.Management.Invitations;
using Trackelio.Functions.Management.Keys;
using Trackelio.Functions.Management.Privacy;
using Trackelio.Functions.Management.Responses;
using Trackelio.Functions.Management.SignIn;
using Trackelio.Functions.Hosting;
using Trackelio.Functions.Responses;
using Trackelio.Functions.Management.Users;
using Trackelio.Functions.Management.Webhooks;
using Trackelio.Functions.Management.Widgets;
using Trackelio.Functions.Storage;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Management;

/// <summary>The team's REST API (<c>/v1/…</c>, each class marked <see cref="Auth.ApiKeyAuthAttribute"/>), authenticated with secret keys, limited per key.</summary>
public static class ManagementApi
{
    public static IServiceCollection AddManagementApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddScoped<CurrentMember>();
        services.AddOptions<ApiKeyOptions>().Bind(configuration.GetSection("Trackelio:ApiKeys"))
            .Validate(o => o.CacheDuration > TimeSpan.Zero && o.CacheDuration <= TimeSpan.FromMinutes(1), "Trackelio:ApiKeys:CacheDuration is how long a revoked key keeps working on other instances: at most a minute.")
            .ValidateOnStart();
        services.AddOptions<RateLimitOptions>().Bind(configuration.GetSection("Trackelio:RateLimits"))
            .Validate(o => o.ReadsPerMinute > 0 && o.WritesPerMinute > 0 && o.UserListsPerMinute > 0, "Rate limits must be positive.")
            .ValidateOnStart();
        services.AddSingleton<ApiKeyDirectory>();
        services.AddSingleton<KeyRateLimiter>();
        services.AddMemoryCache(o => o.SizeLimit = 10_000);
        services.AddSingleton<FeedbackTotals>();
        services.AddSingleton<AttachmentLinks>();
        services.AddScoped<FeedbackServices>();
        services.AddScoped<WidgetServices>();
        services.AddScoped<UserServices>();

        services.AddSingleton<KeyMintingRule>();
        services.AddOptions<InvitationOptions>().Bind(configuration.GetSection("Trackelio:Invitations"));
        services.AddOptions<SignInOptions>().Bind(configuration.GetSection("Trackelio:SignIn"));
        services.AddQueueFunction<SignInLinkSender>(SignInLinkSender.FunctionName, StorageNames.Queues.SignIn);
        services.AddSingleton<InvitationAcceptance>();
        return services;
    }
}
