using System.Collections.Frozen;
using System.Reflection;
using Microsoft.Azure.Functions.Worker;

namespace Trackelio.Functions.Api;

/// <summary>
/// Every <c>[Function]</c> of the app with what its method and class declare: the attributes that
/// choose its middleware (<c>[ApiKeyAuth]</c>, <c>[ProjectKeyAuth]</c>, <c>[MinimumRole]</c>, …) and its
/// HTTP trigger. Read once, by reflection over this assembly; the worker names a function by its
/// <c>[Function]</c> name, which is also the OpenAPI operation id.
/// </summary>
public static class FunctionCatalog
{
    private static readonly Lazy<FrozenDictionary<string, AppFunction>> Functions = new(Scan);

    public static IReadOnlyCollection<AppFunction> All => Functions.Value.Values;

    public static AppFunction Get(string name) =>
        Functions.Value.TryGetValue(name, out var function) ? function : throw new InvalidOperationException($"No [Function(\"{name}\")] in {typeof(FunctionCatalog).Assembly.GetName().Name}.");

    /// <summary>The invoked function.</summary>
    public static AppFunction Of(FunctionContext context) => Get(context.FunctionDefinition.Name);

    private static FrozenDictionary<string, AppFunction> Scan() =>
        typeof(FunctionCatalog).Assembly.GetTypes()
            .SelectMany(type => type.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Select(method => (Method: method, Function: method.GetCustomAttribute<FunctionAttribute>()))
            .Where(found => found.Function is not null)
            .ToFrozenDictionary(found => found.Function!.Name, found => new AppFunction(found.Function!.Name, found.Method), StringComparer.Ordinal);
}

/// <summary>One function: its method, its HTTP trigger (if it is one) and, as endpoint metadata, the attributes of its class and method (the method's last, so they win).</summary>
public sealed class AppFunction
{
    public AppFunction(string name, MethodInfo method)
    {
        Name = name;
        Method = method;
        HttpTrigger = method.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).FirstOrDefault(a => a is not null);
        var attributes = method.DeclaringType!.GetCustomAttributes(inherit: true).Concat(method.GetCustomAttributes(inherit: true));
        Metadata = new EndpointMetadataCollection([.. attributes, new EndpointNameMetadata(name)]);
        Endpoint = new Endpoint(requestDelegate: null, Metadata, name);
        ReadsRequestRecords = method.GetParameters().Any(p => typeof(Requests.IValidatedRequest).IsAssignableFrom(p.ParameterType));
    }

    public string Name { get; }

    public MethodInfo Method { get; }

    public HttpTriggerAttribute? HttpTrigger { get; }

    /// <summary>Whether it takes a request record (<c>Body&lt;T&gt;</c>, <c>Query&lt;T&gt;</c>) for <see cref="Requests.RequestValidationMiddleware"/> to read and check.</summary>
    public bool ReadsRequestRecords { get; }

    public EndpointMetadataCollection Metadata { get; }

    /// <summary>The function as an ASP.NET Core endpoint: what <c>HttpContext.GetEndpoint()</c> answers inside it.</summary>
    public Endpoint Endpoint { get; }

    public bool Has<T>()
        where T : class => Metadata.GetMetadata<T>() is not null;
}
