namespace Trackelio.Functions.RateLimiting;

/// <summary>
/// One request's outcome: allowed or not, the limit, what remains of it in the current window
/// as far as this instance knows, and when the window ends (the same moment on every instance).
/// </summary>
public readonly record struct RateLimitDecision(bool Allowed, int Limit, int Remaining, TimeSpan Reset);
