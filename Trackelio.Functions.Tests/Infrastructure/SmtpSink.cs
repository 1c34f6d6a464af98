using System.Net;
using SmtpServer;
using SmtpServer.Net;
using SmtpServer.Protocol;
using SmtpHost = SmtpServer.SmtpServer;
using SmtpServices = SmtpServer.ComponentModel.ServiceProvider;

namespace Trackelio.Functions.Tests.Infrastructure;

/// <summary>
/// A real SMTP server (the <c>SmtpServer</c> package), in process on a free loopback port, that
/// records every message it accepts and can be told to refuse mail as a relay that is down does.
/// Plain SMTP, no TLS; <c>AUTH PLAIN</c> and <c>LOGIN</c> are offered but not required (see
/// <see cref="Credentials"/> and <see cref="RequireAuthentication"/>), and the user name a session
/// logged in with is kept with each message.
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    /// <summary>What <see cref="FailTransiently"/> answers to the end of <c>DATA</c>.</summary>
    public const string TransientReply = "4.3.0 try again later (SmtpSink.FailTransiently)";

    /// <summary>What <see cref="FailPermanently"/> answers to the end of <c>DATA</c>.</summary>
    public const string PermanentReply = "5.7.1 message rejected (SmtpSink.FailPermanently)";

    private readonly Lock _gate = new();
    private readonly List<ReceivedMail> _messages = [];
    private readonly List<ReceivedMail> _refused = [];
    private readonly SemaphoreSlim _switching = new(1, 1);
    private TaskCompletionSource _changed = NewSignal();
    private Listener? _listener;
    private volatile bool _failTransiently;
    private volatile bool _failPermanently;
    private volatile bool _requireAuthentication;
    private volatile NetworkCredential? _credentials;

    private SmtpSink()
    {
    }

    private sealed record Listener(SmtpHost Server, CancellationTokenSource Stop, Task Serving);

    /// <summary>Always the IPv4 loopback address.</summary>
    public string Host => "127.0.0.1";

    /// <summary>The port it listens on; stays the same across <see cref="StopListeningAsync"/> and <see cref="ResumeListeningAsync"/>.</summary>
    public int Port { get; private set; }

    /// <summary>Whether it accepts connections (false after <see cref="StopListeningAsync"/>).</summary>
    public bool IsListening
    {
        get
        {
            lock (_gate)
            {
                return _listener is not null;
            }
        }
    }

    /// <summary>
    /// While true, the end of every <c>DATA</c> is answered <c>451</c> (<see cref="TransientReply"/>):
    /// nothing is kept in <see cref="Messages"/>, the attempt goes to <see cref="Refused"/> and <see cref="RefusedAttempts"/>.
    /// </summary>
    public bool FailTransiently
    {
        get => _failTransiently;
        set => _failTransiently = value;
    }

    /// <summary>As <see cref="FailTransiently"/>, with <c>550</c> (<see cref="PermanentReply"/>); wins when both are set.</summary>
    public bool FailPermanently
    {
        get => _failPermanently;
        set => _failPermanently = value;
    }

    /// <summary>While true, <c>MAIL FROM</c> before a successful <c>AUTH</c> is answered <c>530</c>.</summary>
    public bool RequireAuthentication
    {
        get => _requireAuthentication;
        set => _requireAuthentication = value;
    }

    /// <summary>When set, only this user name and password log in (anything else is answered <c>535</c>); when null (the default), any do.</summary>
    public NetworkCredential? Credentials
    {
        get => _credentials;
        set => _credentials = value;
    }

    /// <summary>Every message accepted so far, oldest first (a snapshot).</summary>
    public IReadOnlyList<ReceivedMail> Messages
    {
        get
        {
            lock (_gate)
            {
                return [.. _messages];
            }
        }
    }

    /// <summary>Every message answered with a failure by <see cref="FailTransiently"/> or <see cref="FailPermanently"/>, oldest first (a snapshot).</summary>
    public IReadOnlyList<ReceivedMail> Refused
    {
        get
        {
            lock (_gate)
            {
                return [.. _refused];
            }
        }
    }

    /// <summary>How many messages were answered with a failure (the length of <see cref="Refused"/>).</summary>
    public int RefusedAttempts
    {
        get
        {
            lock (_gate)
            {
                return _refused.Count;
            }
        }
    }

    /// <summary>Starts one on a free port of 127.0.0.1.</summary>
    public static async Task<SmtpSink> StartAsync()
    {
        var sink = new SmtpSink();
        await sink.ResumeListeningAsync();
        return sink;
    }

    /// <summary>Forgets every message, accepted or refused.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _messages.Clear();
            _refused.Clear();
        }
    }

    /// <summary>The first message (already here or still to come) that <paramref name="match"/> accepts; fails after <paramref name="timeout"/> listing what did arrive.</summary>
    public async Task<ReceivedMail> WaitForAsync(Func<ReceivedMail, bool> match, TimeSpan timeout)
    {
        var found = await WaitUntilAsync(messages => messages.FirstOrDefault(match), timeout);
        return found ?? throw new Xunit.Sdk.XunitException($"No matching mail arrived within {timeout.TotalSeconds:0.###} s. {Describe()}");
    }

    /// <summary>
    /// Every message that <paramref name="match"/> accepts (all, when null) once there are at least
    /// <paramref name="count"/>; fails after <paramref name="timeout"/> listing what did arrive.
    /// </summary>
    public async Task<IReadOnlyList<ReceivedMail>> WaitForCountAsync(int count, TimeSpan timeout, Func<ReceivedMail, bool>? match = null)
    {
        var found = await WaitUntilAsync(
            messages => messages.Where(match ?? (_ => true)).ToList() is { } matching && matching.Count >= count ? matching : null,
            timeout);
        return found ?? throw new Xunit.Sdk.XunitException(
            $"Fewer than {count} matching mail(s) arrived within {timeout.TotalSeconds:0.###} s. {Describe()}");
    }

    /// <summary>Fails as soon as a message that <paramref name="match"/> accepts arrives within <paramref name="window"/> from now (those already here don't count).</summary>
    public async Task AssertNothingArrivesAsync(Func<ReceivedMail, bool> match, TimeSpan window)
    {
        var before = new HashSet<ReceivedMail>(Messages, ReferenceEqualityComparer.Instance);
        var arrived = await WaitUntilAsync(messages => messages.FirstOrDefault(m => !before.Contains(m) && match(m)), window);
        if (arrived is not null)
        {
            throw new Xunit.Sdk.XunitException($"A mail arrived that should not have: {arrived}. {Describe()}");
        }
    }

    /// <summary>Stops accepting connections (a client is refused) and ends the sessions that are open, as a relay that goes down.</summary>
    public async Task StopListeningAsync()
    {
        await _switching.WaitAsync();
        try
        {
            Listener? listener;
            lock (_gate)
            {
                listener = _listener;
                _listener = null;
            }
            if (listener is null)
            {
                return;
            }
            listener.Server.Shutdown();
            await listener.Stop.CancelAsync();
            try
            {
                await listener.Serving;
            }
            catch (OperationCanceledException)
            {
            }
            listener.Stop.Dispose();
        }
        finally
        {
            _switching.Release();
        }
    }

    /// <summary>Listens again, on the same <see cref="Port"/> (nothing to do while listening).</summary>
    public async Task ResumeListeningAsync()
    {
        await _switching.WaitAsync();
        try
        {
            if (!IsListening)
            {
                await ListenAsync(Port);
            }
        }
        finally
        {
            _switching.Release();
        }
    }

    public async ValueTask DisposeAsync() => await StopListeningAsync();

    /// <summary>The answer to the end of <c>DATA</c>: keeps the message, or refuses it while a failure mode is on.</summary>
    internal SmtpResponse Receive(ReceivedMail mail)
    {
        var response = _failPermanently ? new SmtpResponse(SmtpReplyCode.MailboxUnavailable, PermanentReply)
            : _failTransiently ? new SmtpResponse(SmtpReplyCode.Aborted, TransientReply)
            : null;
        TaskCompletionSource changed;
        lock (_gate)
        {
            (response is null ? _messages : _refused).Add(mail);
            changed = _changed;
            _changed = NewSignal();
        }
        changed.TrySetResult();
        return response ?? SmtpResponse.Ok;
    }

    private async Task ListenAsync(int port)
    {
        var listeners = new EndpointListenerFactory();
        var started = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        listeners.EndpointStarted += (_, e) => started.TrySetResult(((IPEndPoint)e.LocalEndPoint).Port);

        var options = new SmtpServerOptionsBuilder()
            .ServerName("smtp-sink")
            .Endpoint(endpoint => endpoint
                .Endpoint(new IPEndPoint(IPAddress.Loopback, port))
                .AuthenticationRequired(false)
                .AllowUnsecureAuthentication())
            .Build();
        var services = new SmtpServices();
        services.Add(listeners);
        services.Add(new SmtpSinkMessageStore(this));
        services.Add(new SmtpSinkAuthenticator(this));
        services.Add(new SmtpSinkMailboxFilter(this));

        var server = new SmtpHost(options, services);
        var stop = new CancellationTokenSource();
        var serving = server.StartAsync(stop.Token);
        if (await Task.WhenAny(started.Task, serving) != started.Task)
        {
            stop.Dispose();
            await serving;
            throw new InvalidOperationException($"The SMTP sink stopped before it listened on 127.0.0.1:{port}.");
        }
        lock (_gate)
        {
            Port = started.Task.Result;
            _listener = new Listener(server, stop, serving);
        }
    }

    private async Task<T?> WaitUntilAsync<T>(Func<IReadOnlyList<ReceivedMail>, T?> until, TimeSpan timeout)
        where T : class
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            Task changed;
            IReadOnlyList<ReceivedMail> messages;
            lock (_gate)
            {
                changed = _changed.Task;
                messages = [.. _messages];
            }
            if (until(messages) is { } found)
            {
                return found;
            }
            if (deadline.IsCancellationRequested)
            {
                return null;
            }
            await changed.WaitAsync(deadline.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>What arrived, for failure messages.</summary>
    private string Describe()
    {
        var messages = Messages;
        var refused = Refused;
        var state = string.Join(", ", new[]
        {
            IsListening ? null : "not listening",
            FailPermanently ? "FailPermanently on" : null,
            FailTransiently ? "FailTransiently on" : null,
        }.OfType<string>());
        var lines = new List<string>
        {
            $"The SMTP sink on {Host}:{Port}{(state.Length == 0 ? "" : $" ({state})")} received {messages.Count} mail(s){(messages.Count == 0 ? "." : ":")}",
        };
        lines.AddRange(messages.Select(m => "  " + m));
        if (refused.Count > 0)
        {
            lines.Add($"It refused {refused.Count} attempt(s):");
            lines.AddRange(refused.Select(m => "  " + m));
        }
        return string.Join("\n", lines);
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
