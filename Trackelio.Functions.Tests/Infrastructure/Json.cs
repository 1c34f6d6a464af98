using System.Net.Http.Json;
using Trackelio.Functions.Api;

namespace Trackelio.Functions.Tests.Infrastructure;

internal static class Json
{
    /// <summary>A JSON request body in the API's snake_case.</summary>
    public static HttpContent Body(object value) => JsonContent.Create(value, options: TrackelioJson.Options);
}
