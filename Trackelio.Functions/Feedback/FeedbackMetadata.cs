using System.Text.Json;
using Trackelio.Functions.Api;

namespace Trackelio.Functions.Feedback;

/// <summary>
/// The free-form <c>metadata</c> object of a feedback post (widget submit or <c>POST /v1/feedback</c>).
/// Bounded so that whatever is acknowledged can always be stored: with every other field at its
/// limit the record stays far below a table entity's size (proved by <c>SubmitLimitsTests</c>).
/// </summary>
public static class FeedbackMetadata
{
    /// <summary>Its size as stored: compact JSON, UTF-8, non-ASCII escaped as the store escapes it.</summary>
    public const int MaxBytes = 16 * 1024;

    /// <summary>The object, or null (absent, or invalid: then a field error names <c>metadata</c>).</summary>
    public static JsonElement? Read(JsonElement body, FieldReader fields)
    {
        var metadata = fields.Object(body, "metadata", "metadata")?.Clone();
        if (metadata is { } m && JsonSerializer.SerializeToUtf8Bytes(m, TrackelioJson.Options).Length > MaxBytes)
        {
            fields.Fail("metadata", $"must be at most {MaxBytes} bytes as JSON");
            return null;
        }
        return metadata;
    }
}
