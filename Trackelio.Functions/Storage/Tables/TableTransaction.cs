using System.Globalization;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Core;

namespace Trackelio.Functions.Storage.Tables;

/// <summary>What one step of a transaction does.</summary>
public enum TableTransactionActionType
{
    Add,
    UpdateReplace,
    UpdateMerge,
    UpsertReplace,
    UpsertMerge,
    Delete,
}

/// <summary>One step of an entity-group transaction; <see cref="ETag"/> guards updates and deletes (default: any).</summary>
public sealed record TableTransactionAction(TableTransactionActionType ActionType, TableEntity Entity, ETag? ETag = null);

/// <summary>
/// Builds and reads the Table service's <c>$batch</c> format (multipart/mixed with one change
/// set): all steps succeed or none does. Every entity must be in the same partition; at most 100.
/// </summary>
internal static class TableTransaction
{
    public const int MaxActions = 100;

    public static (byte[] Body, string ContentType) Build(Uri endpoint, string tableName, IReadOnlyList<TableTransactionAction> actions, string? writeId = null)
    {
        if (actions.Count is 0 or > MaxActions)
        {
            throw new ArgumentException($"A transaction has 1 to {MaxActions} actions.", nameof(actions));
        }
        if (actions.Select(a => a.Entity.PartitionKey).Distinct(StringComparer.Ordinal).Count() > 1)
        {
            throw new ArgumentException("All entities of a transaction must share one partition key.", nameof(actions));
        }

        var batch = "batch_" + Guid.NewGuid().ToString("N");
        var changeset = "changeset_" + Guid.NewGuid().ToString("N");
        var body = new StringBuilder()
            .Append("--").Append(batch).Append("\r\n")
            .Append("Content-Type: multipart/mixed; boundary=").Append(changeset).Append("\r\n\r\n");

        var tableUri = endpoint.AbsoluteUri.TrimEnd('/') + "/" + Uri.EscapeDataString(tableName);
        foreach (var action in actions)
        {
            var entity = action.Entity;
            var (method, uri, ifMatch) = action.ActionType switch
            {
                TableTransactionActionType.Add => ("POST", tableUri, (string?)null),
                TableTransactionActionType.UpdateReplace => ("PUT", EntityUri(tableUri, entity), (action.ETag ?? ETag.All).ToString()),
                TableTransactionActionType.UpdateMerge => ("MERGE", EntityUri(tableUri, entity), (action.ETag ?? ETag.All).ToString()),
                TableTransactionActionType.UpsertReplace => ("PUT", EntityUri(tableUri, entity), null),
                TableTransactionActionType.UpsertMerge => ("MERGE", EntityUri(tableUri, entity), null),
                TableTransactionActionType.Delete => ("DELETE", EntityUri(tableUri, entity), (action.ETag ?? ETag.All).ToString()),
                _ => throw new ArgumentOutOfRangeException(nameof(actions)),
            };

            body.Append("--").Append(changeset).Append("\r\n")
                .Append("Content-Type: application/http\r\n")
                .Append("Content-Transfer-Encoding: binary\r\n\r\n")
                .Append(method).Append(' ').Append(uri).Append(" HTTP/1.1\r\n")
                .Append("Accept: application/json;odata=minimalmetadata\r\n")
                .Append("DataServiceVersion: 3.0\r\n");
            if (ifMatch is not null)
            {
                body.Append("If-Match: ").Append(ifMatch).Append("\r\n");
            }
            if (action.ActionType == TableTransactionActionType.Delete)
            {
                body.Append("\r\n");
            }
            else
            {
                body.Append("Content-Type: application/json\r\n")
                    .Append("Prefer: return-no-content\r\n\r\n")
                    .Append(Encoding.UTF8.GetString(TableEntityJson.Serialize(entity, writeId))).Append("\r\n");
            }
        }
        body.Append("--").Append(changeset).Append("--\r\n")
            .Append("--").Append(batch).Append("--\r\n");
        return (Encoding.UTF8.GetBytes(body.ToString()), "multipart/mixed; boundary=" + batch);
    }

    /// <summary>Throws <see cref="RequestFailedException"/> with the failing step's status and code when the change set was refused.</summary>
    public static void ThrowIfFailed(Response response)
    {
        var text = response.Content.ToString();
        foreach (var line in text.Split('\n'))
        {
            if (!line.StartsWith("HTTP/1.1 ", StringComparison.Ordinal))
            {
                continue;
            }
            var status = int.Parse(line.AsSpan(9, 3), CultureInfo.InvariantCulture);
            if (status < 400)
            {
                continue;
            }

            string? code = null;
            string? message = null;
            var json = text.IndexOf("{\"odata.error\"", StringComparison.Ordinal);
            if (json >= 0)
            {
                try
                {
                    using var reader = JsonDocument.Parse(text.AsMemory(json).ToString().Split("\r\n")[0]);
                    var error = reader.RootElement.GetProperty("odata.error");
                    code = error.GetProperty("code").GetString();
                    message = error.GetProperty("message").GetProperty("value").GetString();
                }
                catch (JsonException)
                {
                }
            }
            throw new RequestFailedException(status, message ?? $"The transaction failed with status {status}.", code, null);
        }
    }

    private static string EntityUri(string tableUri, TableEntity entity)
    {
        static string Key(string key) => Uri.EscapeDataString(key.Replace("'", "''", StringComparison.Ordinal));
        return $"{tableUri}(PartitionKey='{Key(entity.PartitionKey)}',RowKey='{Key(entity.RowKey)}')";
    }
}
