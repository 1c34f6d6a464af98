namespace Trackelio.Functions.Management.SignIn;

/// <summary>The dashboard's e-mail sign-in (<c>Trackelio:SignIn</c>).</summary>
public sealed class SignInOptions
{
    /// <summary>How long a mailed sign-in link works (once).</summary>
    public TimeSpan LinkValidFor { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>A session key expires after this long unused.</summary>
    public TimeSpan SessionIdleTimeout { get; set; } = TimeSpan.FromHours(12);

    /// <summary>Links one member may be sent per quarter hour; further requests are dropped silently (the answer is the same).</summary>
    public int LinksPerQuarterHour { get; set; } = 5;
}
