using Trackelio.Functions.Api;
using Trackelio.Functions.Feedback;

namespace Trackelio.Functions.Widget.Idempotency;

/// <summary>
/// One user action, one stored result, for the widget's response writes (CSAT, survey answers):
/// the optional <c>Idempotency-Key</c> header binds the id the first request chose to the key,
/// per widget and endpoint, so a retry whose first answer was lost gets the same id and stores
/// nothing more. (Submit has its own, with <c>client_id</c>; NPS is once per period anyway;
/// messenger messages use <c>client_message_id</c>.)
/// </summary>
public static class ActionKey
{
    public const string Header = "Idempotency-Key";
    public const int MaxLength = 255;

    /// <summary>The request's key, or null; one longer than <see cref="MaxLength"/> is a field error.</summary>
    public static string? Read(HttpRequest request, FieldReader fields)
    {
        var key = request.Headers[Header].ToString();
        if (key.Length == 0)
        {
            return null;
        }
        if (key.Length > MaxLength)
        {
            fields.Fail(Header, $"must be at most {MaxLength} characters");
            return null;
        }
        return key;
    }

    /// <summary>
    /// <paramref name="candidateId"/> when there is no key or the key is new; else the id the first
    /// request with this key (on this widget and endpoint) got. Call it only once the request is
    /// valid: the claim is a write.
    /// </summary>
    public static Task<string> IdAsync(IIdempotencyStore store, string widgetId, string endpoint, string? key, string candidateId,
        CancellationToken cancellationToken) =>
        key is null ? Task.FromResult(candidateId) : store.ClaimAsync(widgetId, endpoint + "\n" + key, candidateId, cancellationToken);
}
