using Microsoft.Azure.Functions.Worker;
using Trackelio.Functions.Announcements;
using Trackelio.Functions.Api;
using Trackelio.Functions.Api.Limits;
using Trackelio.Functions.Attachments;
using Trackelio.Functions.Enrichment;
using Trackelio.Functions.Feedback;
using Trackelio.Functions.Mail;
using Trackelio.Functions.Management;
using Trackelio.Functions.Messenger;
using Trackelio.Functions.RateLimiting;
using Trackelio.Functions.Responses;
using Trackelio.Functions.Storage;
using Trackelio.Functions.Surveys;
using Trackelio.Functions.Webhooks;
using Trackelio.Functions.Widget;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Composition;

public static class TrackelioServices
{
    /// <summary>Every module's services: the worker's, the app commands' and the OpenAPI document's.</summary>
    public static IServiceCollection AddTrackelio(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddTrackelioApi();
        services.AddTrustedForwarding(configuration);
        services.AddRequestLimits(configuration);
        services.AddStorage();
        services.AddSharedRateLimiter(configuration);
        services.AddWorkspaces(configuration);
        services.AddMail(configuration);
        services.AddWebhooks(configuration);
        services.AddFeedback();
        services.AddAttachments();
        services.AddResponses();
        services.AddMessenger();
        services.AddSurveys();
        services.AddAnnouncements();
        services.AddEnrichment(configuration);
        services.AddWidgetApi();
        services.AddManagementApi(configuration);
        // Functions take the arguments a minimal-API handler would: services, the HttpContext, request records.
        services.Configure<WorkerOptions>(options => options.InputConverters.RegisterAt<InvocationArgumentConverter>(0));
        return services;
    }
}
