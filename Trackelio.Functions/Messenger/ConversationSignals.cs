using System.Collections.Concurrent;

namespace Trackelio.Functions.Messenger;

/// <summary>
/// Wakes this instance's long polls when this instance accepts a message for their
/// conversation. Messages accepted on other instances are found by the polls' own storage
/// reads, at most once a second (<see cref="MessengerService.CrossInstanceCheck"/>).
/// </summary>
public sealed class ConversationSignals
{
    private readonly ConcurrentDictionary<string, (TaskCompletionSource Signal, DateTime Since)> _waiting = new(StringComparer.Ordinal);

    /// <summary>A task that completes at the next message in the conversation. Take it before reading, so no message falls between.</summary>
    public Task NextAsync(string conversationId)
    {
        if (_waiting.Count > 10_000)
        {
            // Long idle entries: their waiters fall back to reading storage.
            foreach (var (id, entry) in _waiting)
            {
                if (DateTime.UtcNow - entry.Since > TimeSpan.FromMinutes(1))
                {
                    _waiting.TryRemove(id, out _);
                }
            }
        }
        return _waiting.GetOrAdd(conversationId, _ => (new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), DateTime.UtcNow)).Signal.Task;
    }

    public void Notify(string conversationId)
    {
        if (_waiting.TryRemove(conversationId, out var entry))
        {
            entry.Signal.TrySetResult();
        }
    }
}
