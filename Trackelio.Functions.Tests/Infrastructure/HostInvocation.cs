using System.Net.Http.Headers;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Azure.Storage.Queues.Models;

namespace Trackelio.Functions.Tests.Infrastructure;

/// <summary>
/// The request the Azure Functions host sends a custom handler for a queue-trigger invocation,
/// built by the host's own rules, line for line, with the host's JSON library (Newtonsoft.Json).
/// Source: Azure/azure-functions-host at commit 89dc438d476542786f2fc4070f553423213a6223:
/// <list type="bullet">
/// <item><c>src/WebJobs.Script/Workers/MessageExtensions/ScriptInvocationContextExtensions.cs</c>:
/// <c>ToHttpScriptInvocationContext</c> and <c>GetHttpScriptInvocationContextValue</c> (mirrored below; its
/// unit test <c>GetHttpScriptInvocationContextValueTest_String</c> pins "stringTest" → "\"stringTest\"");</item>
/// <item><c>src/WebJobs.Script/Workers/MessageExtensions/HttpScriptInvocationContextExtensions.cs</c>: a POST whose
/// content is <c>ObjectContent</c> with <c>JsonMediaTypeFormatter</c> (Newtonsoft's default settings);</item>
/// <item><c>src/WebJobs.Script/Workers/Http/DefaultHttpWorkerService.cs</c>: the URI is
/// <c>http://127.0.0.1:{port}/{FunctionName}</c> (<c>BuildAndGetUri</c>) and <c>AddHeaders</c> adds the
/// invocation id, host version and user agent.</item>
/// </list>
/// The trigger value is what the Storage Queues extension binds for the function's <c>dataType</c>:
/// the message text (a string) by default, its bytes for <c>dataType: binary</c>. Its binding data are
/// <c>QueueTrigger</c> (skipped: the key ends with "trigger"), <c>DequeueCount</c> (long), <c>Id</c> and
/// <c>PopReceipt</c> (string), <c>InsertionTime</c>, <c>ExpirationTime</c>, <c>NextVisibleTime</c>
/// (DateTimeOffset), and the host's own <c>sys</c> object.
/// </summary>
public static class HostInvocation
{
    /// <summary>The host's <c>Microsoft.Azure.WebJobs.Script.Description.DataType</c>, as far as it matters here.</summary>
    public enum DataType
    {
        String,
        Binary,
    }

    /// <summary>The invocation for a message received from the queue, as the host builds it.</summary>
    public static HttpRequestMessage ForQueueMessage(string functionName, string bindingName, QueueMessage message, DataType dataType = DataType.String)
    {
        object triggerValue = dataType == DataType.Binary ? message.Body.ToArray() : message.MessageText;
        return Request(functionName, bindingName, triggerValue, dataType, QueueBindingData(message));
    }

    /// <summary>The invocation for a trigger value of any type (a string, bytes, an object), with first-delivery metadata.</summary>
    public static HttpRequestMessage ForTriggerValue(string functionName, string bindingName, object triggerValue, DataType dataType = DataType.String)
    {
        var now = DateTimeOffset.UtcNow;
        var message = QueuesModelFactory.QueueMessage(Guid.NewGuid().ToString(), "AgAAAAMAAAAAAAAA" + Guid.NewGuid().ToString("N"), BinaryData.Empty, 1,
            now.AddSeconds(30), now, now.AddDays(7));
        return Request(functionName, bindingName, triggerValue, dataType, QueueBindingData(message));
    }

    private static Dictionary<string, object?> QueueBindingData(QueueMessage message) => new()
    {
        ["QueueTrigger"] = message.MessageText,
        ["DequeueCount"] = message.DequeueCount,
        ["ExpirationTime"] = message.ExpiresOn,
        ["Id"] = message.MessageId,
        ["InsertionTime"] = message.InsertedOn,
        ["NextVisibleTime"] = message.NextVisibleOn,
        ["PopReceipt"] = message.PopReceipt,
        ["sys"] = new { MethodName = "Functions.Invoke", UtcNow = DateTime.UtcNow, RandGuid = Guid.NewGuid() },
    };

    private static HttpRequestMessage Request(string functionName, string bindingName, object triggerValue, DataType dataType,
        IReadOnlyDictionary<string, object?> bindingData)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/" + functionName)
        {
            Content = new StringContent(Body(bindingName, triggerValue, dataType, bindingData), Encoding.UTF8),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add("X-Azure-Functions-HostVersion", "4.1036.1.0");
        request.Headers.Add("X-Azure-Functions-InvocationId", Guid.NewGuid().ToString());
        request.Headers.UserAgent.ParseAdd("Azure-Functions-Host/4.1036.1.0");
        return request;
    }

    // ToHttpScriptInvocationContext, for a trigger with no other inputs and no retry context.
    private static string Body(string bindingName, object triggerValue, DataType dataType, IReadOnlyDictionary<string, object?> bindingData)
    {
        var context = new HttpScriptInvocationContext();

        // populate metadata
        foreach (var bindingDataPair in bindingData)
        {
            if (bindingDataPair.Value != null)
            {
                if (bindingDataPair.Key.EndsWith("trigger", StringComparison.OrdinalIgnoreCase))
                {
                    // Data will include value of the trigger. Do not duplicate
                    continue;
                }
                context.Metadata[bindingDataPair.Key] = GetHttpScriptInvocationContextValue(bindingDataPair.Value);
            }
        }

        // populate input bindings
        context.Data[bindingName] = GetHttpScriptInvocationContextValue(triggerValue, dataType);

        // ObjectContent<HttpScriptInvocationContext>(context, new JsonMediaTypeFormatter())
        return JsonConvert.SerializeObject(context);
    }

    internal static object GetHttpScriptInvocationContextValue(object inputValue, DataType dataType = DataType.String)
    {
        if (inputValue is byte[] byteArray)
        {
            if (dataType == DataType.Binary)
            {
                return byteArray;
            }
            return Convert.ToBase64String(byteArray);
        }
        if (inputValue is DateTime)
        {
            return DateTime.Parse(inputValue.ToString()!, System.Globalization.CultureInfo.InvariantCulture);
        }
        if (inputValue is DateTimeOffset)
        {
            return DateTimeOffset.Parse(inputValue.ToString()!, System.Globalization.CultureInfo.InvariantCulture);
        }
        try
        {
            return JObject.FromObject(inputValue);
        }
        catch
        {
        }
        return JsonConvert.SerializeObject(inputValue);
    }

    private sealed class HttpScriptInvocationContext
    {
        public IDictionary<string, object> Data { get; set; } = new Dictionary<string, object>();

        public IDictionary<string, object> Metadata { get; set; } = new Dictionary<string, object>();
    }
}
