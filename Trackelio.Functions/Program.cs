using Trackelio.Functions.Announcements;
using Trackelio.Functions.Api;
using Trackelio.Functions.Api.Limits;
using Trackelio.Functions.Attachments;
using Trackelio.Functions.Enrichment;
using Trackelio.Functions.Feedback;
using Trackelio.Functions.Hosting;
using Trackelio.Functions.Management;
using Trackelio.Functions.Messenger;
using Trackelio.Functions.Responses;
using Trackelio.Functions.RateLimiting;
using Trackelio.Functions.Storage;
using Trackelio.Functions.Surveys;
using Trackelio.Functions.Webhooks;
using Trackelio.Functions.Widget;
using Trackelio.Functions.Widget.Cors;
using Trackelio.Functions.Workspaces;

var command = AppCommands.Parse(args);
// Under the Functions host the first widget config's one-time work begins now, beside the host's building (docs/benchmarks.md, Cold start).
var warmUp = command is null ? ColdStartWarmUp.BeginUnderHost() : null;
// Slim: console logging only, no HTTPS set-up, no regex route constraints (none used); less to start (docs/benchmarks.md, Cold start).
var builder = WebApplication.CreateSlimBuilder(command is null ? args : []);
builder.UseFunctionsHostPort();
builder.AddColdStartWarmUp(warmUp);

builder.Services.AddTrackelioApi();
builder.Services.AddTrustedForwarding(builder.Configuration);
builder.Services.AddRequestLimits(builder.Configuration);
builder.Services.AddTrackelioOpenApi();
builder.Services.AddStorage();
builder.Services.AddSharedRateLimiter(builder.Configuration);
builder.Services.AddWorkspaces(builder.Configuration);
builder.Services.AddWebhooks(builder.Configuration);
builder.Services.AddFeedback();
builder.Services.AddAttachments();
builder.Services.AddResponses();
builder.Services.AddMessenger();
builder.Services.AddSurveys();
builder.Services.AddAnnouncements();
builder.Services.AddEnrichment(builder.Configuration);
builder.Services.AddWidgetApi();
builder.Services.AddManagementApi(builder.Configuration);

var app = builder.Build();

app.UseHostProbe();
app.UseColdStartWarmUp(); // under the host: one request through what follows, before Kestrel listens
app.UseForwardedHeaders();
app.UseTrackelioApi(); // routes too, once HEAD has become GET
app.UseRequestBodyBudget();
app.UseWidgetPreflight();
app.MapTrackelioOpenApi();
app.MapWidgetApi();
app.MapManagementApi();
app.MapEnrichment();
app.MapStorageDiagnostics();

if (command is not null)
{
    return await command.RunAsync(app, Console.Out, Console.Error);
}

await app.RunAsync();
return 0;

/// <summary>The app's entry point; public so that tests can host it with WebApplicationFactory.</summary>
public partial class Program;
