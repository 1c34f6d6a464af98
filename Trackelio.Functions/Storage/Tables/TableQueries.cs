using System.Text;
using Azure;
using Azure.Data.Tables;

namespace Trackelio.Functions.Storage.Tables;

/// <summary>What the stores' keyset paging needs beyond the SDK's query: one page at a time, and filters joined.</summary>
public static class TableQueries
{
    /// <summary>The most entities the Table service returns in one page (its limit on <c>$top</c>).</summary>
    public const int MaxPageSize = 1000;

    /// <summary>
    /// One page of a query (at most <paramref name="maxPerPage"/> entities, and never more than <see cref="MaxPageSize"/>;
    /// the service may answer fewer with a continuation), resumed from <paramref name="continuationToken"/>. Its token is
    /// null after the last page.
    /// </summary>
    public static async Task<Page<TableEntity>> QueryOnePageAsync(this TableClient table, string filter, int maxPerPage,
        IEnumerable<string>? select = null, string? continuationToken = null, CancellationToken cancellationToken = default)
    {
        // The service refuses a $top over 1000 (Azurite quietly caps it, so only Azure would show it).
        maxPerPage = Math.Clamp(maxPerPage, 1, MaxPageSize);
        await foreach (var page in table.QueryAsync<TableEntity>(filter, maxPerPage, select, cancellationToken).AsPages(continuationToken, maxPerPage).ConfigureAwait(false))
        {
            return string.IsNullOrEmpty(page.ContinuationToken) ? Page<TableEntity>.FromValues(page.Values, null, page.GetRawResponse()) : page;
        }
        return Page<TableEntity>.FromValues([], null, null!);
    }

    /// <summary>The entity, or null when there is none (the SDK's <see cref="NullableResponse{T}"/> without its response).</summary>
    public static async Task<TableEntity?> GetEntityOrNullAsync(this TableClient table, string partitionKey, string rowKey, CancellationToken cancellationToken = default)
    {
        var response = await table.GetEntityIfExistsAsync<TableEntity>(partitionKey, rowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.HasValue ? response.Value : null;
    }

    /// <summary>Joins filters (each made with <see cref="TableClient.CreateQueryFilter(FormattableString)"/>) with <c>and</c>; empty ones are left out.</summary>
    public static string? And(params string?[] filters)
    {
        var parts = filters.Where(f => !string.IsNullOrWhiteSpace(f)).ToList();
        return parts.Count switch
        {
            0 => null,
            1 => parts[0],
            _ => new StringBuilder().AppendJoin(" and ", parts.Select(p => "(" + p + ")")).ToString(),
        };
    }
}
