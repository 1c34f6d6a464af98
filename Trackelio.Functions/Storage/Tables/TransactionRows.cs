using Azure.Data.Tables;

namespace Trackelio.Functions.Storage.Tables;

/// <summary>
/// Rows to write in the same entity-group transaction as <paramref name="value"/> (same table and
/// partition): what a caller adds to a store's write without knowing its rows, e.g. an event's outbox row.
/// Asked once per write attempt, just before it.
/// </summary>
public delegate Task<IReadOnlyList<TableTransactionAction>> TransactionRows<in T>(T value, CancellationToken cancellationToken);
