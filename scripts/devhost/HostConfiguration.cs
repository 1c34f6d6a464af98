using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Trackelio.DevHost;

/// <summary>
/// host.json with the AzureFunctionsJobHost__* overrides on top (the host's
/// HostJsonFileConfigurationSource plus environment variables with that prefix), and the app
/// settings the host resolves names against (%name% in binding expressions, connection names).
/// </summary>
internal sealed class HostConfiguration
{
    private const string OverridePrefix = "AzureFunctionsJobHost__";
    private readonly IConfiguration _hostJson;
    private readonly IReadOnlyDictionary<string, string?> _settings;

    private HostConfiguration(IConfiguration hostJson, IReadOnlyDictionary<string, string?> settings)
    {
        _hostJson = hostJson;
        _settings = settings;
    }

    public static HostConfiguration Load(string appDirectory, IDictionary<string, string?> settings)
    {
        // App settings win over the process environment: they are what the app is given.
        var all = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            all[(string)entry.Key] = (string?)entry.Value;
        }
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        var overrides = all
            .Where(s => s.Key.StartsWith(OverridePrefix, StringComparison.OrdinalIgnoreCase))
            .ToDictionary(s => s.Key[OverridePrefix.Length..].Replace("__", ":", StringComparison.Ordinal), s => s.Value);
        var builder = new ConfigurationBuilder();
        var hostJson = Path.Combine(appDirectory, "host.json");
        if (File.Exists(hostJson))
        {
            builder.AddJsonFile(hostJson, optional: true);
        }
        builder.AddInMemoryCollection(overrides);
        return new HostConfiguration(builder.Build(), all);
    }

    public string? this[string path] => _hostJson[path];

    /// <summary>extensions.http.routePrefix, "api" when unset (HttpOptions).</summary>
    public string RoutePrefix => _hostJson["extensions:http:routePrefix"] ?? "api";

    public TimeSpan? GetTimeSpan(string path)
        => _hostJson[path] is { Length: > 0 } text ? TimeSpan.Parse(text, CultureInfo.InvariantCulture) : null;

    public int? GetInt(string path)
        => _hostJson[path] is { Length: > 0 } text ? int.Parse(text, CultureInfo.InvariantCulture) : null;

    public string? Setting(string name) => _settings.TryGetValue(name, out var value) ? value : null;

    /// <summary>
    /// The app setting <c>AzureWebJobs.&lt;name&gt;.Disabled</c> (or <c>AzureWebJobs__&lt;name&gt;__Disabled</c>, the
    /// form Linux app settings take) is true: the host neither routes to the function nor runs its trigger.
    /// </summary>
    public bool IsDisabled(string functionName) =>
        (Setting($"AzureWebJobs.{functionName}.Disabled") ?? Setting($"AzureWebJobs__{functionName}__Disabled")) is { } value
        && (bool.TryParse(value, out var disabled) ? disabled : value == "1");

    /// <summary>DefaultNameResolver.ResolveWholeString: %name% is replaced by the app setting.</summary>
    public string ResolveWholeString(string expression)
    {
        if (expression.Length > 1 && expression.StartsWith('%') && expression.EndsWith('%'))
        {
            var name = expression[1..^1];
            return Setting(name) ?? throw new InvalidOperationException($"The app setting '{name}' (used as '{expression}') is not set.");
        }
        return expression;
    }
}
