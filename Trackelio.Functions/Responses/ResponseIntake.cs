using Trackelio.Functions.Webhooks;

namespace Trackelio.Functions.Responses;

/// <summary>What the widget's NPS, CSAT and survey endpoints answer.</summary>
public sealed record ResponseAccepted(string Id, string Kind, int? Score, string? Category, DateTimeOffset CreatedAt);

/// <summary>Stores a response and announces it (<c>response.created</c>).</summary>
public sealed class ResponseIntake(IResponseStore store, IWebhookPublisher webhooks, ILogger<ResponseIntake> logger)
{
    /// <summary>
    /// Stores and announces the response. <paramref name="whenNotStored"/> (giving back a
    /// once-per-period claim) runs only when the response is known not to be stored: a failure
    /// after the store (the announcement), or a store whose outcome cannot be checked, keeps the
    /// claim, so a retry can never store a second response. A response whose id is stored already
    /// (a retry of the same action, see the widget's <c>Idempotency-Key</c>) is answered as stored,
    /// and announced again under the same event id (which delivers nothing twice).
    /// </summary>
    public async Task<ResponseAccepted> AcceptAsync(ResponseRecord response, CancellationToken cancellationToken, Func<Task>? whenNotStored = null)
    {
        try
        {
            if (!await store.CreateAsync(response, cancellationToken)
                && await store.GetAsync(response.WorkspaceId, response.Id, cancellationToken) is { } stored)
            {
                response = stored;
            }
        }
        catch when (whenNotStored is not null)
        {
            if (await IsAbsentAsync(response))
            {
                await whenNotStored();
            }
            throw;
        }
        await webhooks.PublishAfterWriteAsync(new DomainEvent(response.WorkspaceId, WebhookEvents.ResponseCreated, response.Id, response.CreatedAt, response), cancellationToken);
        return new ResponseAccepted(response.Id, response.Kind, response.Score, response.Category, response.CreatedAt);
    }

    /// <summary>True only when storage answers that the response is not there.</summary>
    private async Task<bool> IsAbsentAsync(ResponseRecord response)
    {
        try
        {
            // Briefly: the request's own deadline may be what ended the store.
            using var check = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            return await store.GetAsync(response.WorkspaceId, response.Id, check.Token) is null;
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Could not check whether response {ResponseId} was stored; its claim is kept", response.Id);
            return false;
        }
    }
}
