using System.Buffers.Binary;
using System.IO.Compression;
using System.Reflection;
using System.Reflection.PortableExecutable;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Azure.Functions.Worker;
using Trackelio.Functions.Api;
using Trackelio.Functions.Hosting;
using Trackelio.Functions.Storage;
using Trackelio.Functions.Tests.Infrastructure;
using Trackelio.Packaging;

namespace Trackelio.Functions.Tests.Hosting;

/// <summary>
/// <c>publish/trackelio-functions.zip</c> read as the Functions host (Azure/azure-functions-host at
/// 89dc438d) and the Worker SDK's host extension (Azure/azure-functions-dotnet-worker at fb113332)
/// read an isolated-worker app at the root of what Flex Consumption unpacks:
/// <list type="bullet">
/// <item>host.json: a <c>customHandler</c> section would make the host start a custom handler
/// (host <c>src/WebJobs.Script/Workers/Http/Configuration/HttpWorkerOptionsSetup.cs</c>).</item>
/// <item>worker.config.json: what the host starts, read by the SDK's
/// <c>sdk/FunctionMetadataLoaderExtension/Startup.cs</c> (<c>{WorkerRoot}</c> expanded, the file must
/// exist) and the host's <c>src/WebJobs.Script/Workers/Rpc/Configuration/RpcWorkerConfigFactory.cs</c>;
/// <c>workerIndexing</c> as <c>Utility.CanWorkerIndex</c> reads it; the template and its
/// <c>dotnet</c>/apphost choice are <c>sdk/Sdk/worker.config.json</c> and
/// <c>_FunctionsGenerateWorkerConfig</c> in <c>sdk/Sdk/Targets/Microsoft.Azure.Functions.Worker.Sdk.targets</c>.</item>
/// <item>functions.metadata: the SDK's <c>sdk/FunctionMetadataLoaderExtension/FunctionMetadataJsonReader.cs</c>
/// (at least one binding each); names and bindings as the host's <c>Utility.FunctionNameValidationRegex</c> /
/// <c>BindingNameValidationRegex</c> (<c>src/WebJobs.Script/Utility.cs</c>); HTTP routes as
/// <c>ScriptHost.ValidateHttpFunction</c> and <c>HttpRoutesConflict</c> (<c>src/WebJobs.Script/Host/ScriptHost.cs</c>).</item>
/// <item>extensions.json: found at the root when there is no <c>bin/extensions.json</c>, hint paths
/// resolved against the root (<c>Utility.TryResolveExtensionsMetadataPath</c>,
/// <c>src/WebJobs.Script/DependencyInjection/ScriptStartupTypeLocator.cs</c>).</item>
/// </list>
/// </summary>
public sealed class PackageZipTests
{
    private static readonly Regex FunctionName = new(@"^[a-z][a-z0-9_\-]{0,127}$(?<!^host$)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    private static readonly Regex BindingName = new(@"^([a-zA-Z][a-zA-Z0-9]{0,127}|\$return)$");
    private static readonly string[] HttpMethods = ["get", "post", "put", "patch", "delete", "head", "options", "trace"];

    /// <summary>IMAGE_FILE_MACHINE_AMD64 xor the Linux marker crossgen2 writes into a ReadyToRun image for linux-x64.</summary>
    private const Machine LinuxX64ReadyToRun = (Machine)(0x8664 ^ 0x7B79);

    private sealed record Package(ZipArchive Zip, IReadOnlyDictionary<string, int> HostSystems) : IDisposable
    {
        public JsonNode Json(string path) => JsonNode.Parse(Read(path))!;

        public string Read(string path)
        {
            var entry = Zip.GetEntry(path) ?? throw new Xunit.Sdk.XunitException($"{path} is not in the zip.");
            using var reader = new StreamReader(entry.Open());
            return reader.ReadToEnd();
        }

        public byte[] Bytes(string path)
        {
            var entry = Zip.GetEntry(path) ?? throw new Xunit.Sdk.XunitException($"{path} is not in the zip.");
            using var stream = entry.Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return copy.ToArray();
        }

        public bool Has(string path) => Zip.GetEntry(path) is not null;

        public void Dispose() => Zip.Dispose();
    }

    private static async Task<Package> OpenAsync()
    {
        var file = await PackagedApp.ZipAsync();
        return new Package(ZipFile.OpenRead(file), HostSystems(file));
    }

    private static string Text(JsonNode? node, string name) => node?[name]?.GetValue<string>() ?? "";

    private static JsonArray Functions(Package package) => package.Json("functions.metadata").AsArray();

    private static JsonNode Trigger(JsonNode function) =>
        Assert.Single(function["bindings"]!.AsArray(), b => Text(b, "type").EndsWith("Trigger", StringComparison.Ordinal))!;

    [Fact]
    public async Task Host_json_is_at_the_root_without_a_custom_handler()
    {
        using var package = await OpenAsync();
        var host = package.Json("host.json");

        Assert.Equal("2.0", Text(host, "version"));
        Assert.Null(host["customHandler"]);
        Assert.Null(host["httpWorker"]);
        // The app's routes are /v1/…: no api/ prefix (the worker reads the same value, FunctionsEndpointDataSource).
        Assert.Equal("", host["extensions"]!["http"]!["routePrefix"]!.GetValue<string>());
        Assert.Equal("OpenTelemetry", Text(host, "telemetryMode"));
    }

    /// <summary>
    /// Framework-dependent (scripts/package.sh says why): the host runs <c>dotnet Trackelio.Functions.dll</c>
    /// on the platform's .NET, so the zip carries no runtime but names the frameworks it needs, and the
    /// assembly is ReadyToRun code for linux-x64 (RuntimeIdentifier and PublishReadyToRun aligned).
    /// </summary>
    [Fact]
    public async Task Worker_config_names_a_worker_in_the_zip_that_the_platforms_dotnet_runs()
    {
        using var package = await OpenAsync();
        var description = package.Json("worker.config.json")["description"]!;
        var worker = FunctionZip.Worker.Parse(package.Read("worker.config.json"));

        Assert.Equal("dotnet-isolated", Text(description, "language"));
        Assert.Equal("true", Text(description, "workerIndexing"));
        Assert.True(description["canUsePlaceholder"]!.GetValue<bool>());
        Assert.Equal("Trackelio.Functions.dll", worker.WorkerPath);
        Assert.True(package.Has(worker.WorkerPath), $"{worker.WorkerPath} is not in the zip");
        if (worker.AppExecutable is { } executable)
        {
            // A self-contained worker: its apphost must be there and runnable once unzipped.
            Assert.True(package.Has(executable), $"{executable} is not in the zip");
            Assert.True((FunctionZip.UnixMode(package.Zip.GetEntry(executable)!) & UnixFileMode.UserExecute) != 0, $"{executable} is not executable");
        }
        Assert.Equal("dotnet", worker.ExecutablePath);
        Assert.False(package.Has("libcoreclr.so"), "the zip carries a runtime of its own");

        var frameworks = package.Json("Trackelio.Functions.runtimeconfig.json")["runtimeOptions"]!["frameworks"]!.AsArray()
            .ToDictionary(f => Text(f, "name"), f => Version.Parse(Text(f, "version")));
        Assert.Equal(["Microsoft.AspNetCore.App", "Microsoft.NETCore.App"], frameworks.Keys.Order());
        Assert.All(frameworks.Values, v => Assert.Equal(Environment.Version.Major, v.Major));

        using var image = new PEReader(new MemoryStream(package.Bytes(worker.WorkerPath)));
        Assert.True(image.PEHeaders.CorHeader!.ManagedNativeHeaderDirectory.Size > 0, $"{worker.WorkerPath} is not ReadyToRun");
        Assert.Equal(LinuxX64ReadyToRun, image.PEHeaders.CoffHeader.Machine);
    }

    /// <summary>The package runs with no code generated at run time (<c>DynamicCodeSupport</c> in the project).</summary>
    [Fact]
    public async Task Packaged_app_generates_no_code_at_run_time()
    {
        using var package = await OpenAsync();
        var properties = package.Json("Trackelio.Functions.runtimeconfig.json")["runtimeOptions"]!["configProperties"]!;

        Assert.False(properties["System.Runtime.CompilerServices.RuntimeFeature.IsDynamicCodeSupported"]?.GetValue<bool>() ?? true,
            "Trackelio.Functions.runtimeconfig.json does not turn dynamic code off");
    }

    [Fact]
    public async Task Functions_metadata_lists_every_function_of_the_app_with_a_trigger_the_host_accepts()
    {
        using var package = await OpenAsync();
        var functions = Functions(package);

        Assert.Equal(FunctionCatalog.All.Select(f => f.Name).Order(), functions.Select(f => Text(f, "name")).Order());
        foreach (var function in functions.Select(f => f!))
        {
            var name = Text(function, "name");
            Assert.Matches(FunctionName, name);
            Assert.Equal("dotnet-isolated", Text(function, "language"));
            Assert.True(package.Has(Text(function, "scriptFile")), $"{name}: scriptFile {Text(function, "scriptFile")} is not in the zip");
            var bindings = function["bindings"]!.AsArray().Select(b => b!).ToList();
            Assert.NotEmpty(bindings);
            Assert.All(bindings, b => Assert.Matches(BindingName, Text(b, "name")));
            Assert.Equal(bindings.Count, bindings.Select(b => Text(b, "name").ToLowerInvariant()).Distinct().Count());
            var trigger = Trigger(function);
            Assert.Equal("in", Text(trigger, "direction").ToLowerInvariant());
        }

        var byTrigger = functions.GroupBy(f => Text(Trigger(f!), "type")).ToDictionary(g => g.Key, g => g.Count());
        var method = FunctionCatalog.All.ToDictionary(f => f.Name, f => f.Method);
        Assert.Equal(new Dictionary<string, int>
        {
            ["httpTrigger"] = method.Values.Count(m => Declares<HttpTriggerAttribute>(m)),
            ["queueTrigger"] = method.Values.Count(m => Declares<QueueTriggerAttribute>(m)),
            ["timerTrigger"] = method.Values.Count(m => Declares<TimerTriggerAttribute>(m)),
        }, byTrigger);
        // Every endpoint is an HTTP function (counted above from the app); the background work is these eight.
        Assert.Equal((5, 3), (byTrigger["queueTrigger"], byTrigger["timerTrigger"]));
    }

    [Fact]
    public async Task Http_functions_have_the_apps_route_and_methods_and_no_two_clash()
    {
        using var package = await OpenAsync();
        var http = Functions(package).Select(f => (Name: Text(f, "name"), Trigger: Trigger(f!))).Where(f => Text(f.Trigger, "type") == "httpTrigger").ToList();

        foreach (var (name, trigger) in http)
        {
            var declared = FunctionCatalog.Get(name).HttpTrigger!;
            var methods = trigger["methods"]!.AsArray().Select(m => m!.GetValue<string>().ToLowerInvariant()).ToList();
            Assert.Equal(declared.Route, Text(trigger, "route"));
            Assert.Equal(declared.Methods!.Select(m => m.ToLowerInvariant()).Order(), methods.Order());
            Assert.NotEmpty(methods);
            Assert.All(methods, m => Assert.Contains(m, HttpMethods));
            var route = Text(trigger, "route").Trim('/').ToLowerInvariant();
            Assert.NotEmpty(route);
            Assert.False(route.StartsWith("admin", StringComparison.Ordinal) || route.StartsWith("runtime", StringComparison.Ordinal), $"{name}: route {route} is reserved by the host");
            Assert.Single(trigger.Parent!.AsArray(), b => Text(b, "type") == "http" && Text(b, "direction").Equals("out", StringComparison.OrdinalIgnoreCase));
        }

        // HttpRoutesConflict: same route ignoring case and outer slashes, and a method in common.
        var clashes = http
            .SelectMany(f => f.Trigger["methods"]!.AsArray().Select(m => (f.Name, Route: Text(f.Trigger, "route").Trim('/').ToLowerInvariant(), Method: m!.GetValue<string>().ToLowerInvariant())))
            .GroupBy(r => (r.Route, r.Method))
            .Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(r => r.Name))}");
        Assert.Empty(clashes);
    }

    [Fact]
    public async Task Queue_and_timer_functions_read_the_apps_queues_and_schedules()
    {
        using var package = await OpenAsync();
        var triggers = Functions(package).Select(f => (Name: Text(f, "name"), Trigger: Trigger(f!))).ToList();

        var queues = triggers.Where(t => Text(t.Trigger, "type") == "queueTrigger").Select(t => (t.Name, Queue: Text(t.Trigger, "queueName"))).Order().ToList();
        Assert.Equal([("DeliverWebhook", StorageNames.Queues.Webhooks), ("EnrichSubmission", StorageNames.Queues.Submissions),
            ("FlushEventOutbox", StorageNames.Queues.WebhookOutbox), ("SendMail", StorageNames.Queues.Mail), ("SendSignInLink", StorageNames.Queues.SignIn)], queues);
        // No connection named: the host's AzureWebJobsStorage (infra sets its identity-based form; InfraMatchesAppTests).
        Assert.All(triggers.Where(t => Text(t.Trigger, "type") == "queueTrigger"), t => Assert.Equal("", Text(t.Trigger, "connection")));

        var timers = triggers.Where(t => Text(t.Trigger, "type") == "timerTrigger").ToList();
        Assert.Equal(3, timers.Count);
        Assert.All(timers, t => Assert.Equal(6, Text(t.Trigger, "schedule").Split(' ').Length)); // NCRONTAB with seconds
    }

    [Fact]
    public async Task Extensions_json_hint_paths_are_files_under_azurefunctions_in_the_zip()
    {
        using var package = await OpenAsync();
        var extensions = package.Json("extensions.json")["extensions"]!.AsArray().Select(e => e!).ToList();

        // bin/extensions.json would win over the root one (TryResolveExtensionsMetadataPath).
        Assert.False(package.Has("bin/extensions.json"));
        Assert.NotEmpty(extensions);
        foreach (var extension in extensions)
        {
            var hint = Text(extension, "hintPath");
            var path = Path.GetRelativePath("/root", Path.GetFullPath(Path.Combine("/root", hint))).Replace('\\', '/');
            Assert.StartsWith(".azurefunctions/", path, StringComparison.Ordinal);
            Assert.True(package.Has(path), $"{Text(extension, "name")}: {hint} is not in the zip");
            Assert.Equal(Path.GetFileNameWithoutExtension(path), Text(extension, "typeName").Split(',')[1].Trim());
        }
        // The SDK's loader (it points the host at worker.config.json) and the queue trigger's binding.
        Assert.Contains(extensions, e => Text(e, "typeName").StartsWith("Microsoft.Azure.WebJobs.Extensions.FunctionMetadataLoader.Startup,", StringComparison.Ordinal));
        Assert.Contains(extensions, e => Text(e, "name") == "AzureStorageQueues");
    }

    [Fact]
    public async Task Every_entry_is_a_unix_regular_file_with_its_mode()
    {
        using var package = await OpenAsync();

        foreach (var file in FunctionZip.HostFiles)
        {
            Assert.True(package.Has(file), $"{file} is not at the root of the zip");
        }
        Assert.All(package.Zip.Entries, entry =>
        {
            Assert.Equal(3, package.HostSystems[entry.FullName]); // 3 = Unix: unzip applies the mode
            Assert.Equal(FunctionZip.RegularFile, (entry.ExternalAttributes >> 16) & 0xF000);
            Assert.True((FunctionZip.UnixMode(entry) & UnixFileMode.UserRead) != 0, $"{entry.FullName} has mode {FunctionZip.UnixMode(entry)}");
        });
    }

    private static bool Declares<T>(MethodInfo method)
        where T : Attribute => method.GetParameters().Any(p => p.GetCustomAttribute<T>() is not null);

    /// <summary>Each entry's "version made by" host system, from the zip's central directory (APPNOTE 4.3.12, 4.4.2).</summary>
    private static Dictionary<string, int> HostSystems(string zipFile)
    {
        var bytes = File.ReadAllBytes(zipFile);
        var end = bytes.AsSpan().LastIndexOf([(byte)0x50, (byte)0x4b, (byte)0x05, (byte)0x06]);
        var count = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(end + 10));
        var offset = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(end + 16));
        var systems = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            Assert.Equal(0x02014b50u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset)));
            var nameLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(offset + 28));
            var extraLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(offset + 30));
            var commentLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(offset + 32));
            systems[System.Text.Encoding.UTF8.GetString(bytes, offset + 46, nameLength)] = bytes[offset + 5];
            offset += 46 + nameLength + extraLength + commentLength;
        }
        return systems;
    }
}
