using System.Text.Json;
using Trackelio.Functions.Api;
using Trackelio.Functions.Storage;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Composition;

/// <summary>
/// The app's commands, run instead of the worker when the first argument names one (on the app's
/// own services and settings, without the Functions host):
/// <list type="bullet">
/// <item><c>openapi --out FILE</c>: writes the OpenAPI document generated from the functions.</item>
/// <item><c>bootstrap --workspace NAME --owner-email EMAIL [--owner-name NAME] [--widget-name NAME] [--origin URL]… [--language en|de]</c>:
/// creates a workspace, its owner, an admin key and a widget, and prints them as JSON.</item>
/// </list>
/// </summary>
public sealed class AppCommands
{
    private readonly string _name;
    private readonly Dictionary<string, List<string>> _options;
    private readonly string? _usageError;

    private AppCommands(string name, Dictionary<string, List<string>> options, string? usageError = null)
    {
        _name = name;
        _options = options;
        _usageError = usageError;
    }

    /// <summary>The command the arguments name, or null to run the worker.</summary>
    public static AppCommands? Parse(string[] args)
    {
        if (args.Length == 0 || args[0] is not ("openapi" or "bootstrap"))
        {
            return null;
        }

        var options = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        for (var i = 1; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                return new AppCommands(args[0], options, $"Expected '--name value' pairs after '{args[0]}', got '{args[i]}'.");
            }
            var name = args[i][2..];
            if (!options.TryGetValue(name, out var values))
            {
                options[name] = values = [];
            }
            values.Add(args[++i]);
        }
        return new AppCommands(args[0], options);
    }

    public async Task<int> RunAsync(TextWriter output, TextWriter error)
    {
        if (_usageError is not null)
        {
            await error.WriteLineAsync("error: " + _usageError);
            return 2;
        }
        try
        {
            return await RunCommandAsync(output);
        }
        catch (ArgumentException ex)
        {
            await error.WriteLineAsync("error: " + ex.Message);
            return 2;
        }
        catch (Exception ex) when (ErrorHandlingMiddleware.IsStorageUnavailable(ex))
        {
            await error.WriteLineAsync("error: storage is not reachable (is Azurite running? check AzureWebJobsStorage): " + ex.GetBaseException().Message);
            return 1;
        }
    }

    private async Task<int> RunCommandAsync(TextWriter output)
    {
        switch (_name)
        {
            case "openapi":
                var file = Required("out");
                await File.WriteAllTextAsync(file, await OpenApiDocumentGenerator.GenerateAsync());
                await output.WriteLineAsync($"Wrote {Path.GetFullPath(file)}");
                return 0;

            case "bootstrap":
                var request = new BootstrapRequest
                {
                    WorkspaceName = Required("workspace"),
                    OwnerEmail = Required("owner-email"),
                    OwnerName = Optional("owner-name"),
                    WidgetName = Optional("widget-name") ?? "Website",
                    Language = Optional("language") is { } language
                        ? WorkspaceLanguages.All.Contains(language) ? language : throw new ArgumentException($"--language must be one of {string.Join(", ", WorkspaceLanguages.All)}.")
                        : WorkspaceLanguages.Default,
                    AllowedOrigins = _options.GetValueOrDefault("origin") ?? [],
                };
                var builder = Host.CreateApplicationBuilder();
                builder.Services.AddTrackelio(builder.Configuration);
                builder.Services.RemoveAll<IHostedService>();
                using (var app = builder.Build())
                {
                    await app.Services.GetRequiredService<StorageInitializer>().EnsureCreatedAsync(CancellationToken.None);
                    var result = await app.Services.GetRequiredService<WorkspaceBootstrap>().CreateAsync(request);
                    await output.WriteLineAsync(JsonSerializer.Serialize(result, new JsonSerializerOptions(TrackelioJson.Options) { WriteIndented = true }));
                }
                return 0;

            default:
                throw new InvalidOperationException($"Unknown command '{_name}'.");
        }
    }

    private string Required(string name) =>
        Optional(name) ?? throw new ArgumentException($"'{_name}' needs --{name}.");

    private string? Optional(string name) => _options.GetValueOrDefault(name)?.LastOrDefault();
}
