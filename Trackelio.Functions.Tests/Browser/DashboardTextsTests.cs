using System.Diagnostics;
using Trackelio.Functions.Tests.Infrastructure;

namespace Trackelio.Functions.Tests.Browser;

/// <summary>
/// Every text of the dashboard exists in every language, with the same shape as the English one (a function taking
/// as many arguments, an object with the same keys): <c>scripts/dashboard-texts-check.mjs</c> bundles
/// <c>dashboard/src/i18n.js</c> with all the views' <c>texts.js</c> and compares <c>textsFor(…)</c> key for key.
/// </summary>
public sealed class DashboardTextsTests
{
    [Fact]
    public async Task Every_language_has_every_text_the_english_one_has()
    {
        Assert.True(File.Exists(Path.Combine(RepositoryRoot.Path, "node_modules", "esbuild", "package.json")),
            "esbuild is not installed: run scripts/setup.sh (npm ci installs it from package-lock.json).");
        var start = new ProcessStartInfo("node", [Path.Combine("scripts", "dashboard-texts-check.mjs")])
        {
            WorkingDirectory = RepositoryRoot.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.True(process.ExitCode == 0, $"texts differ between languages ({process.ExitCode}):\n{await output}\n{await errors}");
    }
}
