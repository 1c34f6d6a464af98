using Trackelio.Functions.Api;
using Trackelio.Functions.Hosting;
using Trackelio.Functions.Storage;
using Trackelio.Functions.Widget;
using Trackelio.Functions.Workspaces;

var command = AppCommands.Parse(args);
var builder = WebApplication.CreateBuilder(command is null ? args : []);
builder.UseFunctionsHostPort();

builder.Services.AddTrackelioApi();
builder.Services.AddStorage();
builder.Services.AddWorkspaces(builder.Configuration);
builder.Services.AddWidgetApi();

var app = builder.Build();

app.UseTrackelioApi();
app.MapHostProbe();
app.MapWidgetApi();

if (command is not null)
{
    return await command.RunAsync(app, Console.Out, Console.Error);
}

await app.RunAsync();
return 0;

/// <summary>The app's entry point; public so that tests can host it with WebApplicationFactory.</summary>
public partial class Program;
