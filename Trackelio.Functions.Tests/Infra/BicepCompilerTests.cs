using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using Trackelio.Functions.Tests.Infrastructure;

namespace Trackelio.Functions.Tests.Infra;

/// <summary>
/// The real Bicep compiler (NuGet <c>Azure.Bicep.CommandLine.linux-x64</c>, restored with the tests) builds
/// <c>infra/main.bicep</c> to an ARM template and lints it: any error or warning fails.
/// </summary>
public sealed class BicepCompilerTests
{
    private static string Compiler =>
        typeof(BicepCompilerTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "BicepCompiler").Value!;

    private static string MainBicep => Path.Combine(RepositoryRoot.Path, "infra", "main.bicep");

    [Fact]
    public async Task Main_bicep_builds_without_a_warning_or_an_error()
    {
        var (exitCode, stdout, stderr) = await RunAsync("build", MainBicep, "--stdout");

        Assert.True(exitCode == 0 && stderr.Trim().Length == 0, $"bicep build exited {exitCode}:\n{stderr}");
        var template = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal("https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", template.GetProperty("$schema").GetString());
        var resources = template.GetProperty("resources");
        Assert.True(resources.ValueKind == JsonValueKind.Array ? resources.GetArrayLength() > 0 : resources.EnumerateObject().Any(), "the template has no resources");
    }

    [Fact]
    public async Task Main_bicep_lints_clean()
    {
        var (exitCode, stdout, stderr) = await RunAsync("lint", MainBicep);

        Assert.True(exitCode == 0 && (stdout + stderr).Trim().Length == 0, $"bicep lint exited {exitCode}:\n{stdout}{stderr}");
    }

    [Fact]
    public async Task The_compiler_reports_a_broken_file()
    {
        // The checks above can fail: a file with an unknown symbol is an error, an unused parameter a warning.
        var file = Path.Combine(Path.GetTempPath(), $"broken-{Guid.NewGuid():N}.bicep");
        await File.WriteAllTextAsync(file, "param unused string\noutput o string = missingSymbol\n");
        try
        {
            var (exitCode, _, stderr) = await RunAsync("build", file, "--stdout");
            var (_, lintOut, lintErr) = await RunAsync("lint", file);

            Assert.NotEqual(0, exitCode);
            Assert.Contains("missingSymbol", stderr, StringComparison.Ordinal);
            Assert.Contains("no-unused-params", lintOut + lintErr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        Assert.True(File.Exists(Compiler), $"The Bicep compiler is missing at {Compiler}: run 'dotnet restore' (scripts/setup.sh does it).");
        var start = new ProcessStartInfo(Compiler) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        // No telemetry, and no download check: the machines reach no network but the package registries.
        start.Environment["BICEP_TELEMETRY_ENABLED"] = "false";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        return (process.ExitCode, await stdout, await stderr);
    }
}
