using Microsoft.Azure.Functions.Worker;

namespace Trackelio.Functions.Api;

public static class FunctionContextExtensions
{
    /// <summary>The request of an HTTP-triggered invocation (ASP.NET Core integration).</summary>
    public static HttpContext Http(this FunctionContext context) =>
        context.GetHttpContext() ?? throw new InvalidOperationException($"{context.FunctionDefinition.Name} is not an HTTP-triggered function.");

    public static bool IsHttp(this FunctionContext context) =>
        context.FunctionDefinition.InputBindings.Values.Any(binding => string.Equals(binding.Type, "httpTrigger", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Answers without running the function: the worker's ASP.NET Core integration executes the
    /// invocation's result (an <see cref="IResult"/>) into the response.
    /// </summary>
    public static void Answer(this FunctionContext context, IResult result) => context.GetInvocationResult().Value = result;

    /// <summary>Whether the invoked function (its method or class) declares <typeparamref name="T"/>.</summary>
    public static bool Declares<T>(this FunctionContext context)
        where T : class => FunctionCatalog.Of(context).Has<T>();
}
