using Azure;
using Trackelio.Functions.Api;
using Trackelio.Functions.Storage;
using Trackelio.Functions.Storage.Tables;
using Azure.Data.Tables;

namespace Trackelio.Functions.Workspaces;

public interface IWidgetStore
{
    Task AddAsync(SiteWidget widget, CancellationToken cancellationToken = default);
    Task<Stored<SiteWidget>?> GetAsync(string workspaceId, string widgetId, CancellationToken cancellationToken = default);

    /// <summary>Replaces the widget while it is still at <paramref name="ifMatch"/>; throws with status 412 otherwise.</summary>
    Task<ETag> ReplaceAsync(SiteWidget widget, ETag ifMatch, CancellationToken cancellationToken = default);

    IAsyncEnumerable<Stored<SiteWidget>> ListAsync(string workspaceId, CancellationToken cancellationToken = default);

    Task<SiteWidget?> FindAsync(string workspaceId, string widgetId, CancellationToken cancellationToken = default);

    /// <summary>Applies <paramref name="change"/> to the widget (again to a newer one when someone else changed it meanwhile).</summary>
    Task<UpdateOutcome<SiteWidget>> UpdateAsync(string workspaceId, string widgetId, Func<SiteWidget, SiteWidget?> change,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Like <see cref="UpdateAsync(string, string, Func{SiteWidget, SiteWidget?}, CancellationToken)"/>, with rows of the
    /// workspace's partition of table <c>widgets</c> that <paramref name="with"/> gives for the changed widget written in
    /// the same transaction (an event's outbox row: see <c>Webhooks/EventOutbox</c>).
    /// </summary>
    Task<UpdateOutcome<SiteWidget>> UpdateAsync(string workspaceId, string widgetId, Func<SiteWidget, SiteWidget?> change,
        TransactionRows<SiteWidget> with, CancellationToken cancellationToken = default);
}

/// <summary>
/// Widgets in table <c>widgets</c>: partition = workspace, row = widget id. A widget's
/// <see cref="SiteWidget.History"/> keeps its first event (creation) and the newest
/// <see cref="MaxHistory"/> − 1 after it: a widget paused and resumed for years still fits its entity.
/// Other rows of the partition (events waiting in the outbox, <c>outbox|…</c>) are never read as widgets.
/// </summary>
public sealed class TableWidgetStore(StorageAccount account) : IWidgetStore
{
    public const int MaxHistory = 100;

    private readonly DocumentTable<SiteWidget> _table = new(account.GetTableClient(StorageNames.Tables.Widgets), WorkspaceJson.Options);

    public Task AddAsync(SiteWidget widget, CancellationToken cancellationToken = default) =>
        _table.InsertAsync(widget.WorkspaceId, widget.Id, widget, cancellationToken: cancellationToken);

    public Task<Stored<SiteWidget>?> GetAsync(string workspaceId, string widgetId, CancellationToken cancellationToken = default) =>
        _table.GetAsync(workspaceId, widgetId, cancellationToken);

    public Task<ETag> ReplaceAsync(SiteWidget widget, ETag ifMatch, CancellationToken cancellationToken = default) =>
        _table.ReplaceAsync(widget.WorkspaceId, widget.Id, Capped(widget), ifMatch, cancellationToken: cancellationToken);

    internal static SiteWidget Capped(SiteWidget widget) => widget.History.Count <= MaxHistory
        ? widget
        : widget with { History = [widget.History[0], .. widget.History.Skip(widget.History.Count - (MaxHistory - 1))] };

    public IAsyncEnumerable<Stored<SiteWidget>> ListAsync(string workspaceId, CancellationToken cancellationToken = default) =>
        _table.QueryAsync(TableClient.CreateQueryFilter($"PartitionKey eq {workspaceId} and RowKey ge {Ids.Widget + "_"} and RowKey lt {Ids.Widget + "`"}"), cancellationToken);

    public async Task<SiteWidget?> FindAsync(string workspaceId, string widgetId, CancellationToken cancellationToken = default) =>
        (await _table.GetAsync(workspaceId, widgetId, cancellationToken))?.Value;

    public Task<UpdateOutcome<SiteWidget>> UpdateAsync(string workspaceId, string widgetId, Func<SiteWidget, SiteWidget?> change,
        CancellationToken cancellationToken = default) =>
        OptimisticUpdate.RunAsync(ct => _table.GetAsync(workspaceId, widgetId, ct), widget => change(widget) is { } changed ? Capped(changed) : null,
            (widget, etag, ct) => _table.ReplaceAsync(widget.WorkspaceId, widget.Id, widget, etag, cancellationToken: ct), cancellationToken);

    public Task<UpdateOutcome<SiteWidget>> UpdateAsync(string workspaceId, string widgetId, Func<SiteWidget, SiteWidget?> change,
        TransactionRows<SiteWidget> with, CancellationToken cancellationToken = default) =>
        OptimisticUpdate.RunAsync(ct => _table.GetAsync(workspaceId, widgetId, ct), widget => change(widget) is { } changed ? Capped(changed) : null,
            async (widget, etag, ct) => await _table.Table.SubmitTransactionExactlyAsync([
                new(TableTransactionActionType.UpdateReplace, _table.ToEntity(widget.WorkspaceId, widget.Id, widget), etag),
                .. await with(widget, ct),
            ], ct), cancellationToken);
}
