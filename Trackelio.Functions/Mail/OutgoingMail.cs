using System.Text.Json;
using Trackelio.Functions.Api;
using Trackelio.Functions.Storage;
using Trackelio.Functions.Storage.Tables;

namespace Trackelio.Functions.Mail;

/// <summary>What became of an outgoing mail.</summary>
public static class MailStatus
{
    public const string Queued = "queued";

    /// <summary>An attempt failed (the relay was down or answered 4xx); the next is scheduled.</summary>
    public const string Retrying = "retrying";

    public const string Sent = "sent";
    public const string Failed = "failed";

    /// <summary>Not sent, and never will be: its recipient left, turned these mails off, or a newer invitation replaced it.</summary>
    public const string Cancelled = "cancelled";
}

/// <summary>
/// One mail to one recipient, in table <c>mail</c> (partition = workspace, row = its id): what it says
/// (<see cref="Data"/>, dropped once it is sent or given up, since an invitation's holds its token),
/// where it goes, and every attempt's outcome. Its id is the <c>Message-ID</c>'s local part, so a mail
/// sent twice (sent, then not recorded) threads as one in the recipient's client.
/// </summary>
public sealed record OutgoingMail
{
    public required string Id { get; init; }
    public required string WorkspaceId { get; init; }
    public required MailKind Kind { get; init; }
    public required string UserId { get; init; }
    public required string To { get; init; }
    public string? ToName { get; init; }
    public required string Language { get; init; }
    public required string WorkspaceName { get; init; }
    public JsonElement? Data { get; init; }
    public string Status { get; init; } = MailStatus.Queued;
    public int Attempts { get; init; }
    public string? LastError { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? NextAttemptAt { get; init; }
    public DateTimeOffset? SentAt { get; init; }

    /// <summary>When an attempt began talking to the relay; another delivery of the same mail waits while this is recent.</summary>
    public DateTimeOffset? ClaimedAt { get; init; }

    public T Content<T>() => Data is { } data
        ? data.Deserialize<T>(TrackelioJson.Options) ?? throw new InvalidOperationException($"Mail {Id} holds no {typeof(T).Name}.")
        : throw new InvalidOperationException($"Mail {Id} no longer holds its content.");
}

/// <summary>The queue message that sends a mail (queue <c>mail</c>).</summary>
public sealed record MailMessage(string WorkspaceId, string MailId);

/// <summary>Outgoing mail in table <c>mail</c>.</summary>
public sealed class MailStore(StorageAccount account)
{
    private readonly DocumentTable<OutgoingMail> _table = new(account.GetTableClient(StorageNames.Tables.Mail), TrackelioJson.Options);

    /// <summary>Records a new mail; throws with status 409 when it exists already.</summary>
    public Task AddAsync(OutgoingMail mail, CancellationToken cancellationToken) =>
        _table.InsertAsync(mail.WorkspaceId, mail.Id, mail, new Dictionary<string, object?> { ["Status"] = mail.Status }, cancellationToken);

    public Task<Stored<OutgoingMail>?> GetAsync(string workspaceId, string mailId, CancellationToken cancellationToken) =>
        _table.GetAsync(workspaceId, mailId, cancellationToken);

    /// <summary>Replaces the mail while it is at <paramref name="ifMatch"/> (throws with 412 when it changed); the new ETag.</summary>
    public Task<Azure.ETag> SaveAsync(OutgoingMail mail, Azure.ETag ifMatch, CancellationToken cancellationToken) =>
        _table.ReplaceAsync(mail.WorkspaceId, mail.Id, mail, ifMatch, new Dictionary<string, object?> { ["Status"] = mail.Status }, cancellationToken);
}
