using System.Text.Json;
using System.Text.Json.Nodes;

namespace Trackelio.Functions.Hosting;

/// <summary>
/// Under the Functions host, a queue trigger reaches the custom handler as
/// <c>POST http://127.0.0.1:{port}/{FunctionName}</c> with <c>{ "Data": { "message": … }, "Metadata": { "DequeueCount": …, "Id": …, … } }</c>,
/// each value encoded as <see cref="HostInvocationValue"/> describes, and expects a 2xx JSON answer
/// <c>{ "Outputs", "Logs", "ReturnValue" }</c>. A non-2xx answer (or one that is not JSON) fails the
/// invocation: the host retries the message and, after <c>maxDequeueCount</c>, moves it to the poison
/// queue (azure-functions-host <c>DefaultHttpWorkerService.ProcessDefaultInvocationRequest</c>). These endpoints are mapped only
/// when the app runs under the host (which reaches it on loopback): standalone they do not exist, so no
/// outside caller can invoke them.
/// </summary>
public static class QueueInvocationEndpoints
{
    public const string TriggerBindingName = "message";

    public static bool RunsUnderFunctionsHost(IConfiguration configuration) =>
        !string.IsNullOrEmpty(configuration[HostingExtensions.HostPortSetting]);

    public static IEndpointRouteBuilder MapQueueInvocations(this IEndpointRouteBuilder app)
    {
        foreach (var function in app.ServiceProvider.GetServices<QueueFunction>())
        {
            app.MapPost("/" + function.Name, (HttpContext http, QueueFunctionRunner runner, CancellationToken cancellationToken) =>
                    InvokeAsync(function, http, runner, cancellationToken))
                .WithName("Invoke" + function.Name)
                .WithMetadata(new NotAFunctionAttribute())
                .ExcludeFromDescription();
        }
        return app;
    }

    private static async Task<IResult> InvokeAsync(QueueFunction function, HttpContext http, QueueFunctionRunner runner, CancellationToken cancellationToken)
    {
        JsonNode? invocation;
        try
        {
            invocation = await JsonNode.ParseAsync(http.Request.Body, cancellationToken: cancellationToken);
        }
        catch (JsonException)
        {
            return Answer(StatusCodes.Status400BadRequest, "The invocation is not JSON.");
        }

        string? message;
        long dequeueCount;
        try
        {
            message = HostInvocationValue.MessageText(Member(invocation, "Data", TriggerBindingName));
            dequeueCount = HostInvocationValue.MetadataInteger(Member(invocation, "Metadata", "DequeueCount")) ?? 1;
        }
        catch (FormatException ex)
        {
            // Not a form the host sends: refuse the invocation (the host retries it), never poison its message.
            return Answer(StatusCodes.Status400BadRequest, "The invocation is malformed: " + ex.Message);
        }
        if (message is null)
        {
            return Answer(StatusCodes.Status400BadRequest, $"The invocation has no Data.{TriggerBindingName}.");
        }

        var handled = await runner.RunAsync(function, message, dequeueCount, cancellationToken);
        return handled
            ? Answer(StatusCodes.Status200OK, $"{function.Name} handled the message.")
            : Answer(StatusCodes.Status500InternalServerError, $"{function.Name} failed; the host retries.");
    }

    private static JsonNode? Member(JsonNode? invocation, string section, string name) =>
        invocation is JsonObject root && root[section] is JsonObject values ? values[name] : null;

    private static IResult Answer(int status, string log) =>
        Results.Json(new JsonObject { ["Outputs"] = new JsonObject(), ["Logs"] = new JsonArray(log), ["ReturnValue"] = null }, statusCode: status);
}
