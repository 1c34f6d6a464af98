namespace Trackelio.DevHost;

/// <summary>The outcome the worker reported for an invocation (StatusResult.Status).</summary>
public enum InvocationStatus
{
    Failure = 0,
    Success = 1,
    Cancelled = 2,
}

/// <summary>One finished invocation, as the host records it.</summary>
public sealed record InvocationRecord(
    string FunctionName,
    string InvocationId,
    string TriggerKind,
    InvocationStatus Status,
    string? ExceptionMessage,
    DateTimeOffset Started,
    DateTimeOffset Finished);
