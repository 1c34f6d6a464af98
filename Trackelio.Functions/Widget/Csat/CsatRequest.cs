using System.Text.Json;
using System.Text.Json.Serialization;
using Trackelio.Functions.Api;
using Trackelio.Functions.Api.Requests;
using Trackelio.Functions.Feedback;
using Trackelio.Functions.Widget.Idempotency;
using Trackelio.Functions.Widget.Visitors;

namespace Trackelio.Functions.Widget.Csat;

/// <summary>
/// <c>POST /v1/widget/csat</c>: the rating on the widget's scale, an optional comment, who and
/// where; the optional <c>Idempotency-Key</c> header makes a retry the same response.
/// </summary>
public sealed record CsatRequest : IJsonRequest<CsatRequest>
{
    public static long MaxBytes => 16 * 1024;

    /// <summary>On the widget's scale (1–5 unless its config says otherwise).</summary>
    public required int Rating { get; init; }

    /// <summary>At most 2,000 characters.</summary>
    public string? Comment { get; init; }

    public SubmitterInput? Submitter { get; init; }
    public PageInfo? Page { get; init; }
    public string? SessionToken { get; init; }

    [JsonIgnore]
    public string? IdempotencyKey { get; init; }

    public static ValueTask<CsatRequest?> ReadAsync(JsonElement body, FieldReader fields, HttpContext http)
    {
        var module = VisitorFields.Widget(http).Config.Modules.Csat;
        var rating = fields.Int(body, "rating", "rating", module.ScaleMin, module.ScaleMax, required: true);
        var comment = fields.String(body, "comment", "comment", 2000);
        var submitter = SubmitterInput.Read(body, fields);
        var page = VisitorFields.ReadPage(body, fields);
        var session = fields.String(body, "session_token", "session_token", 256);
        var key = ActionKey.Read(http.Request, fields);
        return ValueTask.FromResult(rating is not { } value ? null
            : new CsatRequest { Rating = value, Comment = comment, Submitter = submitter, Page = page, SessionToken = session, IdempotencyKey = key });
    }
}
