using System.Text.Json;

namespace Trackelio.Functions.Api.Requests;

/// <summary>
/// A request record read from a JSON body: it says how large its body may be and reads itself,
/// adding a <see cref="FieldError"/> for every bad field (never stopping at the first). Handlers
/// take it as <see cref="Body{T}"/> and get a valid one; the record's public properties are the
/// body's schema in the OpenAPI document.
/// </summary>
public interface IJsonRequest<TSelf>
    where TSelf : IJsonRequest<TSelf>
{
    /// <summary>The largest body accepted (a larger one is 413 <c>payload_too_large</c>).</summary>
    static abstract long MaxBytes { get; }

    /// <summary>The limit for this request, when it depends on more than the endpoint (a widget's own limits).</summary>
    static virtual long MaxBytesFor(HttpContext http) => TSelf.MaxBytes;

    /// <summary>
    /// The body's schema for the document: the record itself, unless the record holds what was
    /// made of the body (the widget's submit) rather than the body's own shape.
    /// </summary>
    static virtual Type Schema => typeof(TSelf);

    /// <summary>Whether a request with no body at all (no Content-Type, no length) reads as <c>{}</c>.</summary>
    static virtual bool MayBeEmpty => false;

    /// <summary>
    /// The record, with every bad field added to <paramref name="fields"/>; null only when
    /// <paramref name="fields"/> has errors. Checks that need storage (is this member active?)
    /// belong here too, so the answer lists them with the rest. <paramref name="body"/> stays
    /// valid for the whole request.
    /// </summary>
    static abstract ValueTask<TSelf?> ReadAsync(JsonElement body, FieldReader fields, HttpContext http);
}
