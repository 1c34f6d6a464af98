using System.Diagnostics;
using System.Text.Json;
using Trackelio.Functions.Composition;
using Trackelio.Functions.Tests.Infrastructure;

namespace Trackelio.Functions.Tests.Hosting;

/// <summary>The app's commands, run as a user runs them: the built app as a process.</summary>
public sealed class AppCommandsTests
{
    private static async Task<(int ExitCode, string Output)> RunAppAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var app = Path.Combine(AppContext.BaseDirectory, "Trackelio.Functions.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(app);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        return (process.ExitCode, await stdout + await stderr);
    }

    [Fact]
    public async Task Bootstrap_creates_a_workspace_and_prints_its_keys()
    {
        var azurite = await AzuriteServer.GetAsync();

        var (exitCode, output) = await RunAppAsync(new Dictionary<string, string> { ["AzureWebJobsStorage"] = azurite.ConnectionString },
            "bootstrap", "--workspace", "Acme", "--owner-email", "owner@acme.example", "--origin", "https://acme.example", "--origin", "https://*.acme.example");

        Assert.True(exitCode == 0, output);
        var result = JsonDocument.Parse(output).RootElement;
        Assert.StartsWith("ws_", result.GetProperty("workspace_id").GetString());
        Assert.StartsWith("sk_live_", result.GetProperty("admin_key").GetString());
        Assert.StartsWith("pk_live_", result.GetProperty("project_key").GetString());
        Assert.Equal(2, result.GetProperty("allowed_origins").GetArrayLength());
    }

    [Fact]
    public async Task Openapi_command_writes_the_committed_document()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("trackelio-openapi-").FullName, "openapi.json");
        try
        {
            var (exitCode, output) = await RunAppAsync(new Dictionary<string, string>(), "openapi", "--out", file);

            Assert.True(exitCode == 0, output);
            using var written = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(file));
            using var committed = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Path, "openapi", "trackelio.json")));
            Assert.True(System.Text.Json.JsonElement.DeepEquals(committed.RootElement, written.RootElement), "the command's document is not openapi/trackelio.json");
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
        }
    }

    [Fact]
    public async Task Malformed_arguments_fail_with_one_line_not_a_stack_trace()
    {
        var (exitCode, output) = await RunAppAsync(new Dictionary<string, string>(), "bootstrap", "--workspace");

        Assert.Equal(2, exitCode);
        Assert.StartsWith("error: ", output.Trim(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bootstrap_without_required_options_fails_and_says_what_is_missing()
    {
        var (exitCode, output) = await RunAppAsync(new Dictionary<string, string> { ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true" },
            "bootstrap", "--workspace", "Acme");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("--owner-email", output, StringComparison.Ordinal);
    }
}
