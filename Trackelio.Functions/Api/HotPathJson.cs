using System.Text.Json.Serialization;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Api;

/// <summary>
/// JSON metadata generated at build time for what a cold instance serializes first: the widget
/// config path (the stored project key and widget, the public config). It is the first resolver
/// of <see cref="TrackelioJson.Options"/>, which keeps the naming policy and converters; every
/// other type is still handled by reflection. Saves building this metadata by reflection on the
/// first widget request after a scale-out.
/// </summary>
[JsonSerializable(typeof(ProjectKey))]
[JsonSerializable(typeof(SiteWidget))]
[JsonSerializable(typeof(PublicWidgetConfig))]
internal sealed partial class HotPathJson : JsonSerializerContext;
