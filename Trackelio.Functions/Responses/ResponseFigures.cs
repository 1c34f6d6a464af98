namespace Trackelio.Functions.Responses;

/// <summary>The NPS and CSAT scores analytics summarises, read from the stored responses.</summary>
public sealed class ResponseFigures(IResponseStore responses) : IResponseFigures
{
    public async Task<IReadOnlyList<ResponseScore>> ScoresAsync(string workspaceId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var scores = new List<ResponseScore>();
        await foreach (var response in responses.ScanAsync(workspaceId, new ResponseQuery { Kinds = ["nps", "csat"], From = from, To = to }, cancellationToken))
        {
            if (response.Score is { } score)
            {
                // CSAT ratings on other scales are brought to 1–5 so one average means one thing.
                var value = response.Kind == "csat" && response.ScaleMax is { } max and not 5 ? 1 + ((score - 1) * 4.0 / (max - 1)) : score;
                scores.Add(new ResponseScore(response.Kind, value, response.CreatedAt));
            }
        }
        return scores;
    }
}

/// <summary>One NPS or CSAT answer's score and when it was given.</summary>
public sealed record ResponseScore(string Kind, double Value, DateTimeOffset At);

/// <summary>Where analytics reads NPS and CSAT scores from (this module provides it).</summary>
public interface IResponseFigures
{
    Task<IReadOnlyList<ResponseScore>> ScoresAsync(string workspaceId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);
}
