namespace Trackelio.Functions.Api.Requests;

/// <summary>
/// A request record read from the query string: it declares its parameters (for the document
/// and for <see cref="QueryReader"/>) and reads itself, adding a <see cref="FieldError"/> for
/// every bad value. Handlers take it as <see cref="Query{T}"/>.
/// </summary>
public interface IQueryRequest<TSelf>
    where TSelf : IQueryRequest<TSelf>
{
    static abstract IReadOnlyList<QueryParameter> Parameters { get; }

    /// <summary>The record, with every bad value added to <paramref name="fields"/>; null only when it has errors.</summary>
    static abstract TSelf? Read(QueryReader query, FieldReader fields);
}
