using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Trackelio.Functions.Api;

namespace Trackelio.Functions.Workspaces;

/// <summary>
/// The one JSON configuration (<see cref="TrackelioJson.Options"/>) with metadata generated at
/// build time for what a cold instance reads and writes first: the widget config path (the
/// stored project key and widget, the public config). Saves building that metadata by reflection
/// on the first widget request after a scale-out; every other type still uses reflection.
/// </summary>
public static class WorkspaceJson
{
    public static JsonSerializerOptions Options { get; } = new(TrackelioJson.Options)
    {
        TypeInfoResolver = JsonTypeInfoResolver.Combine(WidgetConfigPathJson.Default, new DefaultJsonTypeInfoResolver()),
    };
}

[JsonSerializable(typeof(ProjectKey))]
[JsonSerializable(typeof(SiteWidget))]
[JsonSerializable(typeof(PublicWidgetConfig))]
internal sealed partial class WidgetConfigPathJson : JsonSerializerContext;
