using System.Text.Json.Serialization;

namespace Trackelio.Functions.Api;

/// <summary>The body of every response: <c>{ data, meta, links }</c>.</summary>
public sealed record Envelope<T>(
    T Data,
    Meta Meta,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, string?>? Links = null);

/// <summary>The <c>meta</c> of a response: the request id, paging for lists, the error for failures.</summary>
public sealed record Meta
{
    public required string RequestId { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Page { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? PerPage { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Total { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ErrorBody? Error { get; init; }
}

/// <summary>The <c>meta.error</c> of a failed request.</summary>
public sealed record ErrorBody(
    string Code,
    string Message,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<FieldError>? Details = null)
{
    /// <summary>Facts an error carries beside its message (e.g. <c>next_eligible_at</c>), written into the error object.</summary>
    [JsonExtensionData]
    public Dictionary<string, object?>? Extra { get; init; }
}

/// <summary>One bad field: <c>{ "field": "score", "issue": "must be an integer from 0 to 10" }</c>.</summary>
public sealed record FieldError(string Field, string Issue);
