using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Trackelio.Functions.Hosting;

/// <summary>
/// Under the Functions host, a queue trigger reaches the custom handler as
/// <c>POST /{FunctionName}</c> with <c>{ "Data": { "message": … }, "Metadata": { "DequeueCount": … } }</c>
/// and expects <c>{ "Outputs", "Logs", "ReturnValue" }</c>; a non-2xx answer makes the host retry and,
/// after <c>maxDequeueCount</c>, move the message to the poison queue. These endpoints are mapped only
/// when the app runs under the host (which reaches it on loopback): standalone they do not exist, so no
/// outside caller can invoke them.
/// </summary>
public static class QueueInvocationEndpoints
{
    public const string TriggerBindingName = "message";

    public static bool RunsUnderFunctionsHost(IConfiguration configuration) =>
        !string.IsNullOrEmpty(configuration["FUNCTIONS_CUSTOMHANDLER_PORT"]);

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

        var data = invocation?["Data"]?[TriggerBindingName];
        // The host hands a string payload over as a JSON string; anything else as the JSON itself.
        var message = data is JsonValue value && value.TryGetValue<string>(out var text) ? text : data?.ToJsonString();
        if (message is null)
        {
            return Answer(StatusCodes.Status400BadRequest, $"The invocation has no Data.{TriggerBindingName}.");
        }
        var dequeueCount = invocation?["Metadata"]?["DequeueCount"] switch
        {
            JsonValue v when v.TryGetValue<long>(out var n) => n,
            JsonValue v when v.TryGetValue<string>(out var s) && long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var n) => n,
            _ => 1,
        };

        var handled = await runner.RunAsync(function, message, dequeueCount, cancellationToken);
        return handled
            ? Answer(StatusCodes.Status200OK, $"{function.Name} handled the message.")
            : Answer(StatusCodes.Status500InternalServerError, $"{function.Name} failed; the host retries.");
    }

    private static IResult Answer(int status, string log) =>
        Results.Json(new JsonObject { ["Outputs"] = new JsonObject(), ["Logs"] = new JsonArray(log), ["ReturnValue"] = null }, statusCode: status);
}
