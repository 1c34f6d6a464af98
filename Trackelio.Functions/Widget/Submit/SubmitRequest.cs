using System.Text.Json;
using Trackelio.Functions.Api;
using Trackelio.Functions.Api.Requests;
using Trackelio.Functions.Feedback;
using Trackelio.Functions.Widget.Visitors;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Widget.Submit;

/// <summary>
/// <c>POST /v1/widget/submit</c>, read: the submission <see cref="SubmitParser"/> makes of the body
/// (every field checked, the submitter verified, logs trimmed to the widget's limits) and the key
/// that makes a retry the same record (<c>Idempotency-Key</c>, else <c>client_id</c>). The body's
/// own shape, for the document, is <see cref="SubmitBody"/>.
/// </summary>
public sealed record SubmitRequest(FeedbackSubmission Submission, string? IdempotencyKey) : IJsonRequest<SubmitRequest>
{
    public static long MaxBytes => new WidgetLimits().SubmitBodyBytes;

    /// <summary>The widget's own limit (its config's <c>limits.submit_body_bytes</c>).</summary>
    public static long MaxBytesFor(HttpContext http) => VisitorFields.Widget(http).Config.Limits.SubmitBodyBytes;

    public static Type Schema => typeof(SubmitBody);

    public static ValueTask<SubmitRequest?> ReadAsync(JsonElement body, FieldReader fields, HttpContext http)
    {
        var (submission, clientId) = SubmitParser.Parse(body, VisitorFields.Widget(http), fields, http.Request.Headers.UserAgent.ToString());
        var idempotencyKey = http.Request.Headers[SubmitEndpoint.IdempotencyHeader].ToString() is { Length: > 0 } header ? header : clientId;
        if (idempotencyKey is { Length: > SubmitParser.MaxClientId })
        {
            fields.Fail(SubmitEndpoint.IdempotencyHeader, $"must be at most {SubmitParser.MaxClientId} characters");
        }
        return ValueTask.FromResult<SubmitRequest?>(new SubmitRequest(submission, idempotencyKey));
    }
}

/// <summary>The body of <c>POST /v1/widget/submit</c> as the widget sends it (the rules are <see cref="SubmitParser"/>'s).</summary>
public sealed record SubmitBody
{
    /// <summary>At most 200 characters; this or <c>description</c> is required.</summary>
    public string? Title { get; init; }

    /// <summary>At most 20,000 characters.</summary>
    public string? Description { get; init; }

    /// <summary>One of the widget's item types (its config's <c>modules.feedback.item_types</c>).</summary>
    public required string ItemType { get; init; }

    public SubmitterInput? Submitter { get; init; }
    public PageInfo? Page { get; init; }
    public Viewport? Viewport { get; init; }
    public BrowserBody? Browser { get; init; }
    public string? SessionToken { get; init; }

    /// <summary>Uploads from <c>/v1/widget/upload</c> (att_…).</summary>
    public IReadOnlyList<string>? AttachmentIds { get; init; }

    public ElementInfo? Element { get; init; }

    /// <summary>Captured console entries (<c>{ level, message, timestamp }</c>), kept as they come; trimmed to the widget's limits.</summary>
    public IReadOnlyList<JsonElement>? ConsoleLogs { get; init; }

    /// <summary>Captured requests (<c>{ method, url, status, duration_ms, request_headers, … }</c>); trimmed to the widget's limits.</summary>
    public IReadOnlyList<JsonElement>? NetworkLogs { get; init; }

    /// <summary>Free-form, at most 16 KB as JSON.</summary>
    public JsonElement? Metadata { get; init; }

    /// <summary>Makes a retry the same record when there is no Idempotency-Key header.</summary>
    public string? ClientId { get; init; }
}

/// <summary>The <c>browser</c> of a submit body.</summary>
public sealed record BrowserBody(string? Name, string? Version, string? Platform, string? UserAgent);
