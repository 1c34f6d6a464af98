using System.Text.Json;
using System.Xml.Linq;
using Azure;
using Azure.Core;

namespace Trackelio.Functions.Storage;

/// <summary>
/// Reads the storage services' error: the code from <c>x-ms-error-code</c>, the message from the
/// XML (Blob, Queue) or OData JSON (Table) body, so that <see cref="RequestFailedException.ErrorCode"/>
/// says e.g. <c>EntityAlreadyExists</c>.
/// </summary>
internal sealed class StorageErrorParser : RequestFailedDetailsParser
{
    public override bool TryParse(Response response, out ResponseError? error, out IDictionary<string, string>? data)
    {
        data = null;
        response.Headers.TryGetValue("x-ms-error-code", out var code);
        string? message = null;
        try
        {
            var content = response.Content?.ToString();
            if (!string.IsNullOrWhiteSpace(content))
            {
                message = content.TrimStart().StartsWith('<')
                    ? XDocument.Parse(content).Root?.Element("Message")?.Value
                    : JsonDocument.Parse(content).RootElement.TryGetProperty("odata.error", out var odata)
                        ? odata.GetProperty("message").GetProperty("value").GetString()
                        : null;
                code ??= content.TrimStart().StartsWith('<') ? XDocument.Parse(content).Root?.Element("Code")?.Value : null;
            }
        }
        catch (Exception ex) when (ex is System.Xml.XmlException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            // An unreadable body still leaves the status and the header's code.
        }

        error = code is null && message is null ? null : new ResponseError(code, message);
        return error is not null;
    }
}
