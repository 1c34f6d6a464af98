using Trackelio.Functions.Webhooks;

namespace Trackelio.Functions.Responses;

/// <summary>What the widget's NPS, CSAT and survey endpoints answer.</summary>
public sealed record ResponseAccepted(string Id, string Kind, int? Score, string? Category, DateTimeOffset CreatedAt);

/// <summary>Stores a response with its announcement (<c>response.created</c>, stored in the same transaction: see <see cref="EventOutbox"/>).</summary>
public sealed class ResponseIntake(IResponseStore store, ILogger<ResponseIntake> logger)
{
    /// <summary>
    /// Stores the response with its event. <paramref name="whenNotStored"/> (giving back a
    /// once-per-period claim) runs only when the response is known not to be stored: a store whose
    /// outcome cannot be checked keeps the claim, so a retry can never store a second response. A
    /// failure to publish after the store is no failure of the request: the stored event is
    /// published by its outbox flush. A response whose id is stored already (a retry of the same
    /// action, see the widget's <c>Idempotency-Key</c>) is answered as stored; its event was stored
    /// with it.
    /// </summary>
    public async Task<ResponseAccepted> AcceptAsync(ResponseRecord response, CancellationToken cancellationToken, Func<Task>? whenNotStored = null)
    {
        try
        {
            if (!await store.CreateAsync(response, new DomainEvent(response.WorkspaceId, WebhookEvents.ResponseCreated, response.Id, response.CreatedAt, response),
                    cancellationToken)
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
