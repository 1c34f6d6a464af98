using System.Globalization;
using NCrontab;
using Trackelio.DevHost.Rpc;

namespace Trackelio.DevHost;

/// <summary>
/// One timer-triggered function (TimerListener of Microsoft.Azure.WebJobs.Extensions): a cron
/// schedule with seconds (or a constant TimeSpan), resolved from %app setting% when so written;
/// runOnStartup; the next occurrence is computed after each invocation finishes, in local time.
/// There is no schedule monitor (no storage-backed Last/Next, no past-due runs), as for
/// sub-minute schedules in the host: TimerInfo.ScheduleStatus is then null.
/// </summary>
internal sealed class TimerTriggerScheduler
{
    private readonly IndexedFunction _function;
    private readonly FunctionInvoker _invoker;
    private readonly Func<DateTime, DateTime> _next;

    public TimerTriggerScheduler(IndexedFunction function, FunctionInvoker invoker, HostConfiguration host)
    {
        _function = function;
        _invoker = invoker;
        var expression = host.ResolveWholeString(function.Schedule ?? throw new InvalidOperationException($"Function '{function.Name}' has no schedule."));
        _next = Parse(expression) ?? throw new InvalidOperationException(
            $"Function '{function.Name}': the schedule '{expression}' was not recognized as a valid cron expression or timespan string.");
    }

    /// <summary>TimerSchedule.Create: CronSchedule.TryCreate (5 or 6 fields), else a TimeSpan (ConstantSchedule).</summary>
    internal static Func<DateTime, DateTime>? Parse(string expression)
    {
        var fields = expression.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        if (fields is 5 or 6)
        {
            var cron = CrontabSchedule.TryParse(expression, new CrontabSchedule.ParseOptions { IncludingSeconds = fields == 6 });
            if (cron is not null)
            {
                return cron.GetNextOccurrence;
            }
        }
        return TimeSpan.TryParse(expression, CultureInfo.InvariantCulture, out var period) && period > TimeSpan.Zero
            ? now => now + period
            : null;
    }

    public async Task RunAsync(CancellationToken stopping)
    {
        try
        {
            if (_function.RunOnStartup)
            {
                await InvokeAsync();
            }
            while (!stopping.IsCancellationRequested)
            {
                var now = DateTime.Now;
                var wait = _next(now) - now;
                await Task.Delay(wait < TimeSpan.Zero ? TimeSpan.Zero : wait, stopping);
                await InvokeAsync();
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// TimerListener.InvokeJobFunction: the trigger value is TimerInfo, which ToRpcDefault serializes
    /// with Json.NET ({"Schedule":{"AdjustForDST":true},"ScheduleStatus":null,"IsPastDue":false});
    /// TimerTriggerBinding.CreateBindingData adds TimerTrigger = DateTime.Now.ToString().
    /// </summary>
    private Task InvokeAsync()
    {
        var request = FunctionInvoker.NewRequest(_function);
        request.InputData.Add(new ParameterBinding
        {
            Name = _function.TriggerBindingName,
            Data = new TypedData { Json = """{"Schedule":{"AdjustForDST":true},"ScheduleStatus":null,"IsPastDue":false}""" },
        });
        request.TriggerMetadata["TimerTrigger"] = new TypedData { String = DateTime.Now.ToString(CultureInfo.InvariantCulture) };
        return _invoker.InvokeAsync(_function, "timer", request);
    }
}
