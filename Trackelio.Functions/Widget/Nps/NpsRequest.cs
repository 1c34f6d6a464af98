using System.Text.Json;
using Trackelio.Functions.Api;
using Trackelio.Functions.Api.Requests;
using Trackelio.Functions.Feedback;
using Trackelio.Functions.Widget.Visitors;

namespace Trackelio.Functions.Widget.Nps;

/// <summary><c>POST /v1/widget/nps</c>: the score (an integer 0–10), an optional comment, who and where.</summary>
public sealed record NpsRequest : IJsonRequest<NpsRequest>
{
    public static long MaxBytes => 16 * 1024;

    public required int Score { get; init; }

    /// <summary>At most 2,000 characters.</summary>
    public string? Comment { get; init; }

    public SubmitterInput? Submitter { get; init; }
    public PageInfo? Page { get; init; }
    public string? SessionToken { get; init; }

    public static ValueTask<NpsRequest?> ReadAsync(JsonElement body, FieldReader fields, HttpContext http)
    {
        var score = fields.Int(body, "score", "score", 0, 10, required: true);
        var comment = fields.String(body, "comment", "comment", 2000);
        var submitter = SubmitterInput.Read(body, fields);
        var page = VisitorFields.ReadPage(body, fields);
        var session = fields.String(body, "session_token", "session_token", 256);
        return ValueTask.FromResult(score is not { } value ? null
            : new NpsRequest { Score = value, Comment = comment, Submitter = submitter, Page = page, SessionToken = session });
    }
}
