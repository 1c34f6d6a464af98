using System.Globalization;
using System.Text;
using System.Web;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Trackelio.Functions.Storage;

/// <summary>
/// Signs each request with the account key: Shared Key for Blob and Queue, Shared Key Lite
/// for Table. It is added as the last per-retry policy, so every retry carries a fresh
/// <c>x-ms-date</c> and a signature over the headers as they are sent.
/// </summary>
public sealed class SharedKeyPolicy : HttpPipelineSynchronousPolicy
{
    private readonly StorageAccountKeyCredential _credential;
    private readonly bool _lite;

    private SharedKeyPolicy(StorageAccountKeyCredential credential, bool lite)
    {
        _credential = credential;
        _lite = lite;
    }

    /// <summary>The Blob and Queue services' scheme.</summary>
    public static SharedKeyPolicy SharedKey(StorageAccountKeyCredential credential) => new(credential, lite: false);

    /// <summary>The Table service's scheme.</summary>
    public static SharedKeyPolicy SharedKeyLite(StorageAccountKeyCredential credential) => new(credential, lite: true);

    public override void OnSendingRequest(HttpMessage message)
    {
        var request = message.Request;
        var date = DateTimeOffset.UtcNow.ToString("R", CultureInfo.InvariantCulture);
        request.Headers.SetValue("x-ms-date", date);

        var stringToSign = _lite
            ? BuildSharedKeyLiteString(request, date, _credential.AccountName)
            : BuildSharedKeyString(request, _credential.AccountName);
        var scheme = _lite ? "SharedKeyLite" : "SharedKey";
        request.Headers.SetValue("Authorization", $"{scheme} {_credential.AccountName}:{_credential.ComputeSignature(stringToSign)}");
    }

    internal static string BuildSharedKeyString(Request request, string accountName)
    {
        string Header(string name) => request.Headers.TryGetValue(name, out var value) ? value : "";

        var contentLength = request.Content is not null && request.Content.TryComputeLength(out var length) && length > 0
            ? length.ToString(CultureInfo.InvariantCulture)
            : "";

        var builder = new StringBuilder()
            .Append(request.Method.Method).Append('\n')
            .Append(Header("Content-Encoding")).Append('\n')
            .Append(Header("Content-Language")).Append('\n')
            .Append(contentLength).Append('\n')
            .Append(Header("Content-MD5")).Append('\n')
            .Append(Header("Content-Type")).Append('\n')
            .Append('\n') // Date: x-ms-date is signed instead.
            .Append(Header("If-Modified-Since")).Append('\n')
            .Append(Header("If-Match")).Append('\n')
            .Append(Header("If-None-Match")).Append('\n')
            .Append(Header("If-Unmodified-Since")).Append('\n')
            .Append(Header("Range")).Append('\n');

        foreach (var header in request.Headers
                     .Where(h => h.Name.StartsWith("x-ms-", StringComparison.OrdinalIgnoreCase))
                     .Select(h => (Name: h.Name.ToLowerInvariant(), Value: h.Value.Trim()))
                     .OrderBy(h => h.Name, StringComparer.Ordinal))
        {
            builder.Append(header.Name).Append(':').Append(header.Value).Append('\n');
        }

        var uri = request.Uri.ToUri();
        builder.Append('/').Append(accountName).Append(uri.AbsolutePath);

        var query = HttpUtility.ParseQueryString(uri.Query);
        foreach (var name in query.AllKeys.Where(k => k is not null).Select(k => k!)
                     .OrderBy(k => k.ToLowerInvariant(), StringComparer.Ordinal))
        {
            var values = query.GetValues(name) ?? [];
            Array.Sort(values, StringComparer.Ordinal);
            builder.Append('\n').Append(name.ToLowerInvariant()).Append(':').Append(string.Join(',', values));
        }

        return builder.ToString();
    }

    internal static string BuildSharedKeyLiteString(Request request, string date, string accountName)
    {
        var uri = request.Uri.ToUri();
        var resource = $"/{accountName}{uri.AbsolutePath}";
        var comp = HttpUtility.ParseQueryString(uri.Query)["comp"];
        if (comp is not null)
        {
            resource += "?comp=" + comp;
        }
        return date + "\n" + resource;
    }
}
