using System.Text.Json;
using Azure.Storage.Queues;
using Microsoft.Azure.Functions.Worker;

namespace Trackelio.BareWorker;

public sealed class TimerFunctions(QueueServiceClient queues)
{
    /// <summary>The schedule is an app setting, so a test can make it tick every second.</summary>
    [Function("Tick")]
    public async Task Tick([TimerTrigger("%BareTimerSchedule%", RunOnStartup = false)] TimerInfo timer)
    {
        var ticks = queues.GetQueueClient("bare-ticks");
        await ticks.CreateIfNotExistsAsync();
        await ticks.SendMessageAsync(JsonSerializer.Serialize(new
        {
            isPastDue = timer.IsPastDue,
            last = timer.ScheduleStatus?.Last,
            next = timer.ScheduleStatus?.Next,
        }));
    }
}
