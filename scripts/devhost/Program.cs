using System.Globalization;
using System.Text.Json;

namespace Trackelio.DevHost;

/// <summary>
/// dotnet Trackelio.DevHost.dll --app &lt;dir&gt; [--port 7071]: runs an isolated-worker app as `func start` would.
/// A named class, not top-level statements: the test project also sees the Functions app's global Program.
/// </summary>
public static class DevHostProgram
{
    public static async Task<int> Main(string[] args)
    {
        string? app = null;
        var port = 7071;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--app" when i + 1 < args.Length:
                    app = args[++i];
                    break;
                case "--port" when i + 1 < args.Length:
                    port = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                default:
                    Console.Error.WriteLine($"unknown argument '{args[i]}'");
                    return 2;
            }
        }
        if (app is null)
        {
            Console.Error.WriteLine("usage: Trackelio.DevHost --app <worker build output> [--port 7071]");
            return 2;
        }

        // func start reads local.settings.json Values into the app's settings, except those the environment sets already.
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var localSettings = Path.Combine(app, "local.settings.json");
        if (File.Exists(localSettings))
        {
            using var document = JsonDocument.Parse(File.ReadAllText(localSettings), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            if (document.RootElement.TryGetProperty("Values", out var values))
            {
                foreach (var value in values.EnumerateObject())
                {
                    // As Core Tools does (azure-functions-core-tools, StartHostAction.SetupEnvironmentVariables): a variable set in
                    // the environment wins over the file, so a script can point a run at its own storage.
                    if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable(value.Name)))
                    {
                        Console.Error.WriteLine($"Skipping '{value.Name}' from local settings as it's already defined in current environment variables.");
                        continue;
                    }
                    settings[value.Name] = value.Value.ValueKind == JsonValueKind.String ? value.Value.GetString() : value.Value.ToString();
                }
            }
        }

        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });

        await using var host = await FunctionsDevHost.StartAsync(new DevHostOptions
        {
            AppDirectory = app,
            HttpPort = port,
            Settings = settings,
            Log = Console.WriteLine,
        }, stop.Token);

        var routePrefix = HostConfiguration.Load(Path.GetFullPath(app), settings).RoutePrefix;
        Console.WriteLine();
        Console.WriteLine("Functions:");
        Console.WriteLine();
        foreach (var function in host.Functions)
        {
            if (function.Route is not null)
            {
                var methods = function.Methods.Count == 0 ? "" : $"[{string.Join(',', function.Methods)}] ";
                Console.WriteLine($"\t{function.Name}: {methods}http://localhost:{host.BaseAddress.Port}/{HttpRouteTable.Combine(routePrefix, function.Route)}");
            }
            else
            {
                Console.WriteLine($"\t{function.Name}: {function.TriggerType}");
            }
            Console.WriteLine();
        }

        var exited = host.WorkerExited;
        try
        {
            await Task.WhenAny(Task.Delay(Timeout.Infinite, stop.Token), exited);
        }
        catch (OperationCanceledException)
        {
        }
        await host.StopAsync();
        return exited.IsCompleted && !stop.IsCancellationRequested ? 1 : 0;
    }
}
