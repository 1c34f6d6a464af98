using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Trackelio.DevHost;

/// <summary>
/// The worker's process, started as the host starts it (DefaultWorkerProcessFactory,
/// RpcWorkerProcess.CreateWorkerProcess, RpcWorkerContext.GetFormattedArguments) and killed when
/// the dev host goes away, so no worker outlives it.
/// </summary>
internal sealed class WorkerProcess : IDisposable
{
    private const int MaxOutputLines = 200;
    private readonly Process _process;
    private readonly Queue<string> _output = new();
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly EventHandler _onHostExit;

    private WorkerProcess(Process process, Action<string>? log)
    {
        _process = process;
        _process.EnableRaisingEvents = true;
        _process.OutputDataReceived += (_, e) => Record(e.Data, log);
        _process.ErrorDataReceived += (_, e) => Record(e.Data, log);
        _process.Exited += (_, _) => _exited.TrySetResult(SafeExitCode());
        _onHostExit = (_, _) => Kill();
        AppDomain.CurrentDomain.ProcessExit += _onHostExit;
    }

    public int Id => _process.Id;

    /// <summary>Completes with the exit code when the worker exits, for whatever reason.</summary>
    public Task<int> Exited => _exited.Task;

    /// <summary>The worker's last lines of stdout and stderr, for error messages.</summary>
    public string RecentOutput
    {
        get
        {
            lock (_output)
            {
                return string.Join('\n', _output);
            }
        }
    }

    public static WorkerProcess Start(
        WorkerConfig config, string appDirectory, Uri serverUri, string workerId, string requestId,
        IReadOnlyDictionary<string, string?> settings, Action<string>? log)
    {
        var start = new ProcessStartInfo(config.ExecutablePath)
        {
            // DefaultWorkerProcessFactory: the working directory is the script root.
            WorkingDirectory = appDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
        };
        // DefaultWorkerProcessFactory.GetArguments: executable arguments, "worker path", worker arguments, then the host's.
        foreach (var argument in config.Arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.ArgumentList.Add(config.WorkerPath);
        foreach (var argument in config.WorkerArguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var argument in FormattedArguments(serverUri, workerId, requestId))
        {
            start.ArgumentList.Add(argument);
        }

        // ProcessStartInfo inherits the host's environment; app settings are part of it on the platform.
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }
        // RpcWorkerProcess.CreateWorkerProcess: for an app-provided worker.config.json the worker directory is the app root.
        start.Environment["FUNCTIONS_WORKER_DIRECTORY"] = appDirectory;
        start.Environment["FUNCTIONS_APPLICATION_DIRECTORY"] = appDirectory;
        start.Environment["FUNCTIONS_WORKER_RUNTIME"] = "dotnet-isolated";
        // func start runs apps in Development unless told otherwise.
        if (string.IsNullOrEmpty(start.Environment.TryGetValue("AZURE_FUNCTIONS_ENVIRONMENT", out var environment) ? environment : null))
        {
            start.Environment["AZURE_FUNCTIONS_ENVIRONMENT"] = "Development";
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"'{config.ExecutablePath}' did not start.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException($"Could not start the worker '{config.ExecutablePath} {config.WorkerPath}': {ex.Message}. Is the .NET runtime on PATH?", ex);
        }
        var worker = new WorkerProcess(process, log);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (process.HasExited)
        {
            worker._exited.TrySetResult(worker.SafeExitCode());
        }
        return worker;
    }

    /// <summary>RpcWorkerContext.GetFormattedArguments (the 2.x worker reads only the --functions-* ones).</summary>
    internal static IEnumerable<string> FormattedArguments(Uri serverUri, string workerId, string requestId)
    {
        var maxMessageLength = int.MaxValue.ToString(CultureInfo.InvariantCulture); // RpcWorkerConstants.DefaultMaxMessageLengthBytes
        return
        [
            "--host", serverUri.Host, "--port", serverUri.Port.ToString(CultureInfo.InvariantCulture),
            "--workerId", workerId, "--requestId", requestId, "--grpcMaxMessageLength", maxMessageLength,
            "--functions-uri", serverUri.AbsoluteUri, "--functions-worker-id", workerId,
            "--functions-request-id", requestId, "--functions-grpc-max-message-length", maxMessageLength,
        ];
    }

    /// <summary>Waits for the worker to exit on its own, then kills it (RpcWorkerProcess: ProcessShutdownTimeout 10 s).</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (await Task.WhenAny(Exited, Task.Delay(grace)) != Exited)
        {
            Kill();
            await Task.WhenAny(Exited, Task.Delay(TimeSpan.FromSeconds(5)));
        }
    }

    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
        }
    }

    public void Dispose()
    {
        AppDomain.CurrentDomain.ProcessExit -= _onHostExit;
        Kill();
        _process.Dispose();
    }

    private void Record(string? line, Action<string>? log)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.Enqueue(line);
            while (_output.Count > MaxOutputLines)
            {
                _output.Dequeue();
            }
        }
        log?.Invoke("[worker] " + line);
    }

    private int SafeExitCode()
    {
        try
        {
            return _process.ExitCode;
        }
        catch (InvalidOperationException)
        {
            return -1;
        }
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"worker process {_process.Id}");
        if (Exited.IsCompleted)
        {
            text.Append(CultureInfo.InvariantCulture, $" exited with code {Exited.Result}");
        }
        return text.ToString();
    }
}
