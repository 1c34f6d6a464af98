namespace Trackelio.Functions.Storage.Tables;

/// <summary>One page of a table query; <see cref="ContinuationToken"/> is null after the last page.</summary>
public sealed record TablePage(IReadOnlyList<TableEntity> Entities, string? ContinuationToken);
