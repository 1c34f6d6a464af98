using System.Text.Json;
using System.Text.RegularExpressions;
using Trackelio.Functions.Tests.Infrastructure;

namespace Trackelio.Functions.Tests.Infra;

/// <summary>
/// The infra's structure as this project wants it, beside what the real compiler checks
/// (<see cref="BicepCompilerTests"/>): every file scans and its delimiters pair up, resource types
/// carry an API version, modules exist and get exactly the parameters they declare, every
/// parameter is described, and no default or output holds a secret.
/// </summary>
public sealed partial class BicepStructureTests
{
    internal static string InfraPath => Path.Combine(RepositoryRoot.Path, "infra");

    internal static IReadOnlyList<BicepFile> AllFiles { get; } =
        [.. Directory.GetFiles(Path.Combine(RepositoryRoot.Path, "infra"), "*.bicep", SearchOption.AllDirectories).Order().Select(BicepFile.Load)];

    internal static BicepFile File(string relativePath) =>
        AllFiles.SingleOrDefault(f => Path.GetRelativePath(InfraPath, f.Path).Replace('\\', '/') == relativePath)
        ?? throw new InvalidOperationException($"infra/{relativePath} does not exist.");

    private static string Name(BicepFile file) => Path.GetRelativePath(RepositoryRoot.Path, file.Path);

    [Fact]
    public void Infra_has_main_and_its_modules()
    {
        Assert.Contains(AllFiles, f => f.Path.EndsWith(Path.Combine("infra", "main.bicep"), StringComparison.Ordinal));
        Assert.Contains(AllFiles, f => f.Path.Contains(Path.Combine("infra", "app") + Path.DirectorySeparatorChar, StringComparison.Ordinal));
        Assert.Contains(AllFiles, f => f.Path.Contains(Path.Combine("infra", "core") + Path.DirectorySeparatorChar, StringComparison.Ordinal));
        Assert.Contains("targetScope = 'resourceGroup'", File("main.bicep").Stripped, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_file_scans_and_its_braces_brackets_and_parentheses_pair_up()
    {
        foreach (var file in AllFiles)
        {
            Assert.True(file.LexicalError is null, $"{Name(file)}: {file.LexicalError}");
            var unbalanced = file.UnbalancedDelimiter();
            Assert.True(unbalanced is null, $"{Name(file)}: {unbalanced}");
        }
    }

    [Fact]
    public void Every_resource_type_names_a_provider_type_and_a_dated_api_version()
    {
        Assert.NotEmpty(AllFiles.SelectMany(f => f.Resources()));
        foreach (var file in AllFiles)
        {
            foreach (var resource in file.Resources())
            {
                // A resource nested in its parent may give just its child type ('config'); it takes the parent's version.
                var nested = !resource.Type.Contains('/', StringComparison.Ordinal) && !resource.Type.Contains('@', StringComparison.Ordinal);
                Assert.True(nested ? NestedType().IsMatch(resource.Type) : ResourceType().IsMatch(resource.Type),
                    $"{Name(file)}: resource {resource.Symbol} has type '{resource.Type}', not Namespace.Provider/type@yyyy-mm-dd[-preview]");
            }
        }
    }

    [Fact]
    public void Each_resource_type_uses_one_api_version_everywhere()
    {
        var versions = AllFiles.SelectMany(f => f.Resources()).Where(r => r.Type.Contains('@', StringComparison.Ordinal))
            .GroupBy(r => r.Type.Split('@')[0], StringComparer.OrdinalIgnoreCase)
            .Where(g => g.Select(r => r.Type.Split('@')[1]).Distinct().Count() > 1)
            .Select(g => g.Key);

        Assert.Empty(versions);
    }

    [Fact]
    public void Every_module_path_exists_and_gets_exactly_the_params_it_declares()
    {
        var modules = AllFiles.SelectMany(f => f.Modules().Select(m => (File: f, Module: m))).ToList();
        Assert.NotEmpty(modules);
        foreach (var (file, module) in modules)
        {
            var target = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file.Path)!, module.Path));
            Assert.True(System.IO.File.Exists(target), $"{Name(file)}: module {module.Symbol} points at {module.Path}, which does not exist");

            var declared = BicepFile.Load(target).Params();
            var passed = module.Params.Keys.ToHashSet(StringComparer.Ordinal);
            var unknown = passed.Except(declared.Select(p => p.Name)).ToList();
            var missing = declared.Where(p => p.Default is null).Select(p => p.Name).Except(passed).ToList();
            Assert.True(unknown.Count == 0, $"{Name(file)}: module {module.Symbol} passes params {string.Join(", ", unknown)} that {module.Path} does not declare");
            Assert.True(missing.Count == 0, $"{Name(file)}: module {module.Symbol} does not pass {string.Join(", ", missing)}, which {module.Path} requires");
        }
    }

    [Fact]
    public void Every_param_has_a_description()
    {
        var parameters = AllFiles.SelectMany(f => f.Params().Select(p => (File: f, Param: p))).ToList();
        Assert.NotEmpty(parameters);
        foreach (var (file, param) in parameters)
        {
            Assert.True(param.Decorators.TryGetValue("description", out var description) && BicepFile.StringLiteral(description) is { Length: > 10 },
                $"{Name(file)}: param {param.Name} has no @description");
        }
    }

    [Fact]
    public void Every_main_output_is_described()
    {
        var outputs = File("main.bicep").Outputs();
        Assert.NotEmpty(outputs);
        foreach (var output in outputs)
        {
            Assert.True(output.Decorators.ContainsKey("description"), $"main.bicep: output {output.Name} has no @description");
        }
    }

    [Fact]
    public void No_param_default_or_output_holds_a_secret()
    {
        foreach (var file in AllFiles)
        {
            foreach (var param in file.Params())
            {
                Assert.False(param.Decorators.ContainsKey("secure") && param.Default is not null, $"{Name(file)}: @secure param {param.Name} has a default");
                if (param.Default is { } value)
                {
                    Assert.False(SecretLooking().IsMatch(value), $"{Name(file)}: param {param.Name} defaults to a secret-looking value: {value}");
                    Assert.DoesNotContain("newGuid(", value, StringComparison.OrdinalIgnoreCase);
                }
            }
            foreach (var output in file.Outputs())
            {
                Assert.False(SecretName().IsMatch(output.Name), $"{Name(file)}: output {output.Name} is named like a secret");
                Assert.False(SecretLooking().IsMatch(output.Value) || SecretSource().IsMatch(output.Value),
                    $"{Name(file)}: output {output.Name} = {output.Value} exposes a secret");
            }
        }
    }

    /// <summary>
    /// The SMTP password enters as main.bicep's @secure() <c>smtpPassword</c>, with no default anywhere it
    /// passes, and goes to one place only: app/smtp-password.bicep, which writes it into Key Vault. The
    /// parameters file leaves it empty (a deployment without e-mail needs none); the real one is passed
    /// on the command line.
    /// </summary>
    [Fact]
    public void The_smtp_password_is_a_secure_param_without_a_default_that_only_reaches_key_vault()
    {
        var carriers = AllFiles.SelectMany(f => f.Params().Where(p => PasswordParam().IsMatch(p.Name)).Select(p => (File: f, Param: p))).ToList();

        Assert.Equal(["app/smtp-password.bicep: password", "main.bicep: smtpPassword"],
            carriers.Select(c => $"{Path.GetRelativePath(InfraPath, c.File.Path).Replace('\\', '/')}: {c.Param.Name}").Order());
        foreach (var (file, param) in carriers)
        {
            Assert.True(param.Decorators.ContainsKey("secure"), $"{Name(file)}: param {param.Name} carries a password and is not @secure()");
            Assert.True(param.Default is null, $"{Name(file)}: param {param.Name} carries a password and has a default");
        }

        // Used nowhere but where it is declared and where it is handed on (strings and comments masked out).
        Assert.Equal(3, Identifier("smtpPassword").Matches(File("main.bicep").Masked).Count); // declared, the module's condition, its param
        Assert.Equal(2, Identifier("password").Matches(File("app/smtp-password.bicep").Masked).Count); // declared, the secret's value

        using var document = JsonDocument.Parse(System.IO.File.ReadAllText(Path.Combine(InfraPath, "main.parameters.json")));
        var parameters = document.RootElement.GetProperty("parameters");
        Assert.Equal("", parameters.GetProperty("smtpPassword").GetProperty("value").GetString());
        foreach (var secure in File("main.bicep").Params().Where(p => p.Decorators.ContainsKey("secure")))
        {
            Assert.True(!parameters.TryGetProperty(secure.Name, out var set) || set.GetProperty("value").GetString() is "",
                $"main.parameters.json gives @secure param {secure.Name} a value; pass it on the command line");
        }

        static Regex Identifier(string name) => new($@"(?<![\w.]){name}(?!\w)");
    }

    [Fact]
    public void No_output_mentions_the_smtp_password_or_its_secret()
    {
        var outputs = AllFiles.SelectMany(f => f.Outputs().Select(o => (File: f, Output: o))).ToList();
        Assert.NotEmpty(outputs);
        foreach (var (file, output) in outputs)
        {
            Assert.False(PasswordMention().IsMatch(output.Name) || PasswordMention().IsMatch(output.Value),
                $"{Name(file)}: output {output.Name} = {output.Value} mentions the SMTP password");
        }
        Assert.Empty(File("app/smtp-password.bicep").Outputs());
    }

    [Fact]
    public void Parameters_file_sets_only_declared_params_and_every_required_one()
    {
        using var document = JsonDocument.Parse(System.IO.File.ReadAllText(Path.Combine(InfraPath, "main.parameters.json")));
        var set = document.RootElement.GetProperty("parameters").EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var declared = File("main.bicep").Params();

        Assert.Empty(set.Except(declared.Select(p => p.Name)));
        Assert.Empty(declared.Where(p => p.Default is null).Select(p => p.Name).Except(set));
        foreach (var parameter in document.RootElement.GetProperty("parameters").EnumerateObject())
        {
            Assert.False(SecretLooking().IsMatch(parameter.Value.GetRawText()), $"main.parameters.json: {parameter.Name} holds a secret-looking value");
        }
    }

    [Fact]
    public void The_scanner_sees_through_strings_comments_and_interpolations()
    {
        var file = BicepFile.Parse("""
            // a comment with { and 'a quote
            @description('Braces in strings: { [ ( don\'t count')
            param a string = 'x'
            /* block { comment */
            var b = '${guid(a, 'label')}-${a}'
            output c string = '}'
            """);
        var broken = BicepFile.Parse("var x = {\n  y: [\n}\n");

        Assert.Null(file.LexicalError);
        Assert.Null(file.UnbalancedDelimiter());
        Assert.Equal("Braces in strings: { [ ( don't count", BicepFile.StringLiteral(file.Params().Single().Decorators["description"]));
        Assert.Equal("'${guid(a, 'label')}-${a}'", file.Var("b"));
        Assert.NotNull(broken.UnbalancedDelimiter());
        Assert.NotNull(BicepFile.Parse("var s = 'never closed\n").LexicalError);
    }

    [GeneratedRegex(@"^[A-Z][A-Za-z]+\.[A-Z][A-Za-z]+(/[A-Za-z]+)+@\d{4}-\d{2}-\d{2}(-preview)?$")]
    private static partial Regex ResourceType();

    [GeneratedRegex(@"^[a-z][A-Za-z]+$")]
    private static partial Regex NestedType();

    // Account keys, SAS tokens, connection strings with keys, long base64 runs.
    [GeneratedRegex(@"AccountKey=|SharedAccessSignature=|sig=|InstrumentationKey=|[A-Za-z0-9+/]{40,}={0,2}", RegexOptions.IgnoreCase)]
    private static partial Regex SecretLooking();

    [GeneratedRegex(@"(key|secret|password|connectionstring|token|sas)$", RegexOptions.IgnoreCase)]
    private static partial Regex SecretName();

    // A parameter that carries a password (not, say, the URI of the secret that holds one).
    [GeneratedRegex(@"password$", RegexOptions.IgnoreCase)]
    private static partial Regex PasswordParam();

    // The password, the parameter or module that carries it, or the secret that holds it.
    [GeneratedRegex(@"password|smtpPasswordSecret", RegexOptions.IgnoreCase)]
    private static partial Regex PasswordMention();

    // Expressions that read secrets out of resources.
    [GeneratedRegex(@"list(Keys|Secrets|AccountSas|ServiceSas|ConnectionStrings)\(|\.listKeys\(|ConnectionString|secrets?\.properties\.value|getSecret\(", RegexOptions.IgnoreCase)]
    private static partial Regex SecretSource();
}
