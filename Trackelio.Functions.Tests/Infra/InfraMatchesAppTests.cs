using System.Reflection;
using System.Text.RegularExpressions;
using Azure.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Trackelio.Functions.Attachments;
using Trackelio.Functions.Hosting;
using Trackelio.Functions.Management.Feedback;
using Trackelio.Functions.Storage;
using Trackelio.Functions.Tests.Infrastructure;

namespace Trackelio.Functions.Tests.Infra;

/// <summary>
/// infra/ held against the app: the storage Bicep creates is exactly the app's one list
/// (<see cref="StorageNames"/>), the identity has exactly the roles the app and the host need,
/// and the function app's settings are the ones the app's own code reads at start. When the
/// app gains a table, queue or container, these fail until Bicep creates it.
/// </summary>
public sealed partial class InfraMatchesAppTests
{
    private static BicepFile Main => BicepStructureTests.File("main.bicep");
    private static BicepFile AppStorage => BicepStructureTests.File("app/storage.bicep");
    private static BicepFile CoreStorage => BicepStructureTests.File("core/storage/storage-account.bicep");
    private static BicepFile Rbac => BicepStructureTests.File("app/rbac.bicep");
    private static BicepFile Api => BicepStructureTests.File("app/api.bicep");
    private static BicepFile SmtpPasswordFile => BicepStructureTests.File("app/smtp-password.bicep");

    private static IReadOnlyList<string> StringArray(BicepFile file, string var) =>
        [.. BicepFile.ArrayItems(file.Var(var)).Select(item => BicepFile.StringLiteral(item) ?? throw new FormatException($"{var}: {item} is not a string literal"))];

    private static BicepResource Resource(BicepFile file, string typePrefix) =>
        file.Resources().Single(r => !r.Existing && r.Type.StartsWith(typePrefix + "@", StringComparison.OrdinalIgnoreCase));

    private static string? Literal(string? expression) => expression is null ? null : BicepFile.StringLiteral(expression);

    public static TheoryData<string, string, string[]> StorageLists => new()
    {
        { "tables", "appTables", StorageNames.Tables.All },
        { "queues", "appQueues", StorageNames.Queues.All },
        { "containers", "appContainers", StorageNames.Containers.All },
    };

    [Theory]
    [MemberData(nameof(StorageLists))]
    public void Bicep_creates_exactly_the_storage_the_app_uses(string kind, string bicepVar, string[] appNames)
    {
        var created = StringArray(AppStorage, bicepVar);

        var missing = appNames.Except(created).ToList();
        var extra = created.Except(appNames).ToList();
        Assert.True(missing.Count == 0, $"StorageNames has {kind} {string.Join(", ", missing)} that infra/app/storage.bicep ({bicepVar}) does not create");
        Assert.True(extra.Count == 0, $"infra/app/storage.bicep ({bicepVar}) creates {kind} {string.Join(", ", extra)} that StorageNames does not list");
        Assert.Equal(created.Count, created.Distinct().Count());
    }

    [Fact]
    public void The_storage_lists_reach_the_resources_that_create_them()
    {
        var account = AppStorage.Modules().Single(m => m.Path == "../core/storage/storage-account.bicep");
        Assert.Equal("concat(appContainers, [deploymentContainerName])", account.Params["containers"]);
        Assert.Equal("appQueues", account.Params["queues"]);
        Assert.Equal("appTables", account.Params["tables"]);
        Assert.Equal("lifecycleRules", account.Params["lifecycleRules"]);

        var resources = CoreStorage.Resources();
        Assert.Contains(resources, r => r.Type.StartsWith("Microsoft.Storage/storageAccounts/blobServices/containers@", StringComparison.Ordinal) && r.Body.StartsWith("[for container in containers:", StringComparison.Ordinal));
        Assert.Contains(resources, r => r.Type.StartsWith("Microsoft.Storage/storageAccounts/queueServices/queues@", StringComparison.Ordinal) && r.Body.StartsWith("[for queue in queues:", StringComparison.Ordinal));
        Assert.Contains(resources, r => r.Type.StartsWith("Microsoft.Storage/storageAccounts/tableServices/tables@", StringComparison.Ordinal) && r.Body.StartsWith("[for table in tables:", StringComparison.Ordinal));
        Assert.Equal("'None'", Resource(CoreStorage, "Microsoft.Storage/storageAccounts/blobServices/containers").Property("properties.publicAccess"));
        Assert.Equal("names.deploymentContainer", Main.Modules().Single(m => m.Symbol == "storage").Params["deploymentContainerName"]);
    }

    [Fact]
    public void StorageNames_is_one_complete_list()
    {
        foreach (var type in typeof(StorageNames).GetNestedTypes())
        {
            var constants = type.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToHashSet();
            var all = (string[])type.GetField("All")!.GetValue(null)!;
            Assert.True(constants.SetEquals(all), $"StorageNames.{type.Name}.All does not list every constant of {type.Name}");
        }

        // Everything the app opens goes through StorageNames, so the list above is all of it.
        var literalNames = Directory.GetFiles(Path.Combine(RepositoryRoot.Path, "Trackelio.Functions"), "*.cs", SearchOption.AllDirectories)
            .SelectMany(path => LiteralStorageName().Matches(File.ReadAllText(path)).Select(m => $"{Path.GetFileName(path)}: {m.Value}"))
            .ToList();
        Assert.Empty(literalNames);
    }

    [Fact]
    public void Storage_names_follow_the_services_naming_rules()
    {
        Assert.All(StorageNames.Tables.All, name => Assert.Matches(TableName(), name));
        Assert.All(StorageNames.Queues.All.Concat(StorageNames.Containers.All), name => Assert.Matches(QueueOrContainerName(), name));
    }

    [Fact]
    public void Storage_account_is_hardened()
    {
        var account = Resource(CoreStorage, "Microsoft.Storage/storageAccounts");

        Assert.Equal("'StorageV2'", account.Property("kind"));
        Assert.Equal("'TLS1_2'", account.Property("properties.minimumTlsVersion"));
        Assert.Equal("true", account.Property("properties.supportsHttpsTrafficOnly"));
        Assert.Equal("false", account.Property("properties.allowBlobPublicAccess"));
        Assert.Equal("false", account.Property("properties.allowSharedKeyAccess"));
    }

    [Fact]
    public void Lifecycle_rules_delete_unattached_uploads_and_stale_claim_checks_after_the_parameter_days()
    {
        var rules = BicepFile.ArrayItems(AppStorage.Var("lifecycleRules")).Select(BicepFile.Parse).ToList();

        var uploads = rules.Single(r => Prefixes(r).SequenceEqual(new[] { StorageNames.Containers.Attachments + "/" }));
        var tagFilter = BicepFile.Parse(BicepFile.ArrayItems(uploads.Property("definition.filters.blobIndexMatch")!).Single());
        Assert.Equal(BlobAttachmentStore.AttachedTag, Literal(tagFilter.Property("name")));
        Assert.Equal("==", Literal(tagFilter.Property("op")));
        Assert.Equal("false", Literal(tagFilter.Property("value")));

        var claims = rules.Single(r => Prefixes(r).SequenceEqual(new[] { StorageNames.Containers.Submissions + "/" }));
        Assert.Null(claims.Property("definition.filters.blobIndexMatch"));

        foreach (var rule in new[] { uploads, claims })
        {
            Assert.Equal("true", rule.Property("enabled"));
            Assert.Equal("'Lifecycle'", rule.Property("type"));
            Assert.Equal("['blockBlob']", string.Concat(rule.Property("definition.filters.blobTypes")!.Where(c => !char.IsWhiteSpace(c))));
            Assert.Equal("staleBlobRetentionDays", rule.Property("definition.actions.baseBlob.delete.daysAfterModificationGreaterThan"));
        }
        Assert.Contains(AppStorage.Params(), p => p.Name == "staleBlobRetentionDays" && p.Default is null);
        Assert.Equal("staleBlobRetentionDays", Main.Modules().Single(m => m.Symbol == "storage").Params["staleBlobRetentionDays"]);
        Assert.Contains(Main.Params(), p => p.Name == "staleBlobRetentionDays" && p.Type == "int");

        static IEnumerable<string?> Prefixes(BicepFile rule) =>
            BicepFile.ArrayItems(rule.Property("definition.filters.prefixMatch") ?? "[]").Select(BicepFile.StringLiteral);
    }

    [Fact]
    public void The_identity_holds_exactly_the_roles_the_app_and_the_host_need()
    {
        // Built-in role definition ids, as Azure defines them.
        var expected = new Dictionary<string, string>
        {
            ["b7e6dc6d-f1e8-4753-8033-0f276bb0955b"] = "Storage Blob Data Owner",
            ["974c5e8b-45b9-4653-ba55-5f855dd0fb88"] = "Storage Queue Data Contributor",
            ["0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3"] = "Storage Table Data Contributor",
            ["3913510d-42f4-4e42-8a64-420c390055eb"] = "Monitoring Metrics Publisher",
            ["4633458b-17de-408a-b874-0445c86b69e6"] = "Key Vault Secrets User",
        };
        var roles = BicepFile.Parse(Rbac.Var("roles")).TopLevelProperties().ToDictionary(p => "roles." + p.Key, p => Literal(p.Value)!);
        var assignments = Rbac.Resources().Where(r => r.Type.StartsWith("Microsoft.Authorization/roleAssignments@", StringComparison.Ordinal)).ToList();

        var forApp = assignments.Where(a => a.Property("properties.principalId") == "appPrincipalId").ToList();
        var granted = forApp.Select(a => RoleId(a.Property("properties.roleDefinitionId")!)).ToList();

        Assert.Equal(expected.Keys.Order(), granted.Order());
        foreach (var assignment in forApp)
        {
            Assert.Null(assignment.Condition);
            Assert.Equal("'ServicePrincipal'", assignment.Property("properties.principalType"));
            var name = assignment.Property("name")!;
            Assert.StartsWith("guid(", name, StringComparison.Ordinal);
            Assert.Contains("appPrincipalId", name, StringComparison.Ordinal);
            Assert.Contains(assignment.Property("properties.roleDefinitionId")!.Split(',')[1].TrimEnd(')').Trim(), name, StringComparison.Ordinal);
        }

        // Anyone else is optional (the bootstrap user) and named the same way.
        Assert.All(assignments.Except(forApp), a =>
        {
            Assert.Equal("if (!empty(deployerPrincipalId))", a.Condition);
            Assert.StartsWith("guid(", a.Property("name"), StringComparison.Ordinal);
        });

        var rbac = Main.Modules().Single(m => m.Symbol == "rbac");
        Assert.Equal("identity.outputs.principalId", rbac.Params["appPrincipalId"]);
        var api = Main.Modules().Single(m => m.Symbol == "api");
        Assert.Equal("identity.outputs.id", api.Params["identityId"]);
        Assert.Equal("identity.outputs.clientId", api.Params["identityClientId"]);

        string RoleId(string roleDefinitionId)
        {
            var match = RoleDefinitionReference().Match(roleDefinitionId);
            Assert.True(match.Success, $"roleDefinitionId {roleDefinitionId} is not subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.…)");
            return roles[match.Groups["role"].Value];
        }
    }

    [Fact]
    public void Function_app_is_a_flex_consumption_dotnet_isolated_10_app_deployed_with_its_identity()
    {
        var plan = Resource(BicepStructureTests.File("core/host/flex-consumption-plan.bicep"), "Microsoft.Web/serverfarms");
        Assert.Equal("'FC1'", plan.Property("sku.name"));
        Assert.Equal("'FlexConsumption'", plan.Property("sku.tier"));
        Assert.Equal("true", plan.Property("properties.reserved"));

        var site = Resource(Api, "Microsoft.Web/sites");
        Assert.Equal("'functionapp,linux'", site.Property("kind"));
        Assert.Equal("'UserAssigned'", site.Property("identity.type"));
        Assert.Equal("true", site.Property("properties.httpsOnly"));
        Assert.Equal("identityId", site.Property("properties.keyVaultReferenceIdentity"));
        // The worker's target framework, in the form Flex Consumption accepts ('10.0', not '10').
        Assert.Equal("'dotnet-isolated'", site.Property("properties.functionAppConfig.runtime.name"));
        Assert.Equal($"'{Environment.Version.Major}.0'", site.Property("properties.functionAppConfig.runtime.version"));
        Assert.Equal("'blobContainer'", site.Property("properties.functionAppConfig.deployment.storage.type"));
        Assert.Equal("'${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'", site.Property("properties.functionAppConfig.deployment.storage.value"));
        Assert.Equal("'UserAssignedIdentity'", site.Property("properties.functionAppConfig.deployment.storage.authentication.type"));
        Assert.Equal("identityId", site.Property("properties.functionAppConfig.deployment.storage.authentication.userAssignedIdentityResourceId"));
        Assert.Equal("instanceMemoryMB", site.Property("properties.functionAppConfig.scaleAndConcurrency.instanceMemoryMB"));
        Assert.Equal("maximumInstanceCount", site.Property("properties.functionAppConfig.scaleAndConcurrency.maximumInstanceCount"));

        // The app answers CORS itself, per widget; platform CORS would override it.
        Assert.Equal("[]", site.Property("properties.siteConfig.cors.allowedOrigins"));

        var publishing = Api.Resources().Where(r => r.Type == "basicPublishingCredentialsPolicies").ToList();
        Assert.Equal(["ftp", "scm"], publishing.Select(p => Literal(p.Property("name"))).Order());
        Assert.All(publishing, p => Assert.Equal("false", p.Property("properties.allow")));

        var api = Main.Modules().Single(m => m.Symbol == "api");
        Assert.Equal("instanceMemoryMB", api.Params["instanceMemoryMB"]);
        Assert.Equal("maximumInstanceCount", api.Params["maximumInstanceCount"]);
        Assert.Contains(Main.Params(), p => p.Name == "instanceMemoryMB" && p.Type == "int");
        Assert.Contains(Main.Params(), p => p.Name == "maximumInstanceCount" && p.Type == "int");
    }

    [Fact]
    public void Application_insights_takes_entra_id_telemetry_only()
    {
        var monitoring = BicepStructureTests.File("core/monitor/monitoring.bicep");
        var insights = Resource(monitoring, "Microsoft.Insights/components");

        Assert.Equal("true", insights.Property("properties.DisableLocalAuth"));
        Assert.Equal("logAnalytics.id", insights.Property("properties.WorkspaceResourceId"));
        Assert.Equal("'ClientId=${identityClientId};Authorization=AAD'", AppSettings()["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]);
        // The setting the worker's exporter is switched on by is the one the host reads too.
        Assert.Equal("applicationInsights.properties.ConnectionString", AppSettings()[Telemetry.ConnectionStringSetting]);
    }

    /// <summary>
    /// The host runs the triggers functions.metadata declares, with the connection each names
    /// (none: <c>AzureWebJobsStorage</c>), read as an identity-based connection: queue triggers need
    /// <c>&lt;connection&gt;__queueServiceUri</c> and the Queue Data Contributor role (poison queues
    /// are created on demand), timer triggers the host's blobs (<c>AzureWebJobsStorage__blobServiceUri</c>:
    /// schedule monitor and singleton locks).
    /// </summary>
    [Fact]
    public void Every_trigger_in_functions_metadata_has_its_identity_based_connection()
    {
        var settings = AppSettings();
        var triggers = FunctionsMetadata.Read().EnumerateArray()
            .SelectMany(f => f.GetProperty("bindings").EnumerateArray())
            .Where(b => b.GetProperty("direction").GetString()!.Equals("in", StringComparison.OrdinalIgnoreCase)
                && b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal))
            .ToList();
        var queueConnections = triggers.Where(t => t.GetProperty("type").GetString() == "queueTrigger")
            .Select(t => t.TryGetProperty("connection", out var c) && c.GetString() is { Length: > 0 } name ? name : "AzureWebJobsStorage")
            .Distinct()
            .ToList();

        Assert.Equal(["httpTrigger", "queueTrigger", "timerTrigger"], triggers.Select(t => t.GetProperty("type").GetString()).Distinct().Order());
        Assert.Equal(["AzureWebJobsStorage"], queueConnections);
        foreach (var connection in queueConnections)
        {
            Assert.Equal("storage.properties.primaryEndpoints.queue", settings[connection + "__queueServiceUri"]);
            Assert.Equal("'managedidentity'", settings[connection + "__credential"]);
            Assert.Equal("identityClientId", settings[connection + "__clientId"]);
        }
        Assert.Equal("storage.properties.primaryEndpoints.blob", settings["AzureWebJobsStorage__blobServiceUri"]);
        Assert.Contains("storageQueueDataContributor", Rbac.Var("roles"), StringComparison.Ordinal);
        Assert.Contains(Rbac.Resources(), r => r.Property("properties.principalId") == "appPrincipalId"
            && r.Property("properties.roleDefinitionId")!.Contains("roles.storageQueueDataContributor", StringComparison.Ordinal));
    }

    [Fact]
    public void App_settings_are_what_the_app_reads_for_its_identity_based_storage_connection()
    {
        var settings = AppSettings();
        var configuration = AsDeployed(settings);

        var account = StorageAccount.Create(configuration);

        Assert.IsType<ManagedIdentityCredential>(StorageSettings.Credential(configuration));
        Assert.Null(StorageSettings.AccountKey(configuration));
        Assert.Equal(new Uri("https://stexample.blob.core.windows.net"), account.Blobs.Uri);
        Assert.Equal(new Uri("https://stexample.queue.core.windows.net"), account.Queues.Uri);
        Assert.Equal(new Uri("https://stexample.table.core.windows.net"), account.Tables.Uri);
        Assert.Equal("'managedidentity'", settings["AzureWebJobsStorage__credential"]);
        Assert.Equal("identityClientId", settings["AzureWebJobsStorage__clientId"]);

        // Flex Consumption takes the runtime from functionAppConfig and rejects these; a plain
        // AzureWebJobsStorage connection string would need the Shared Key the account refuses.
        string[] refused = ["FUNCTIONS_WORKER_RUNTIME", "FUNCTIONS_EXTENSION_VERSION", "WEBSITE_RUN_FROM_PACKAGE", "WEBSITE_CONTENTSHARE",
            "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING", "AzureWebJobsStorage"];
        Assert.Empty(settings.Keys.Intersect(refused));
    }

    [Fact]
    public void Link_signing_key_is_always_set_from_a_key_vault_secret_generated_at_deployment()
    {
        var settings = AppSettings();
        Assert.Equal("'@Microsoft.KeyVault(SecretUri=${linkSigningKeySecretUri})'", settings["Trackelio__LinkSigningKey"]);
        Assert.Equal("linkSigningKey.outputs.secretUri", Main.Modules().Single(m => m.Symbol == "api").Params["linkSigningKeySecretUri"]);

        var keyFile = BicepStructureTests.File("app/link-signing-key.bicep");
        var secret = Resource(keyFile, "Microsoft.KeyVault/vaults/secrets");
        var value = secret.Property("properties.value")!;
        Assert.StartsWith("base64(", value, StringComparison.Ordinal);
        Assert.DoesNotContain(keyFile.Params(), p => value.Contains(p.Name, StringComparison.Ordinal));
        Assert.Equal("linkSigningKey.properties.secretUri", keyFile.Outputs().Single().Value);
        Assert.Equal("true", Resource(BicepStructureTests.File("core/security/keyvault.bicep"), "Microsoft.KeyVault/vaults").Property("properties.enableRbacAuthorization"));

        // As resolved on two instances: a link made on one is valid on the other, with no "not set" warning.
        var configuration = AsDeployed(settings);
        var logger = new RecordingLogger<LinkSigningKey>();
        var first = new AttachmentLinks(new LinkSigningKey(configuration, logger), TimeProvider.System);
        var second = new AttachmentLinks(new LinkSigningKey(configuration, logger), TimeProvider.System);

        var link = new Uri("https://x" + first.Create("ws_1", "att_1"));
        var query = System.Web.HttpUtility.ParseQueryString(link.Query);
        Assert.True(second.IsValid("ws_1", "att_1", query["expires"]!, query["sig"]!));
        Assert.Empty(logger.Warnings);
    }

    /// <summary>
    /// Outgoing e-mail: every setting the app reads under <c>Trackelio:Email</c>, by its exact name, set on
    /// every deployment from main.bicep's parameter of the same meaning (ApiUrl is this app's own address;
    /// the password is apart: below).
    /// </summary>
    [Fact]
    public void Email_settings_are_set_under_the_names_the_app_reads_each_from_its_parameter()
    {
        var expected = new Dictionary<string, string>
        {
            ["Trackelio__Email__SmtpHost"] = "smtpHost",
            ["Trackelio__Email__SmtpPort"] = "string(smtpPort)",
            ["Trackelio__Email__Security"] = "smtpSecurity",
            ["Trackelio__Email__UserName"] = "smtpUserName",
            ["Trackelio__Email__From"] = "emailFrom",
            ["Trackelio__Email__AppUrl"] = "appUrl",
            ["Trackelio__Email__ApiUrl"] = "'https://${functionApp.properties.defaultHostName}'",
            ["Trackelio__Email__DigestHourUtc"] = "string(emailDigestHourUtc)",
        };
        var email = AppSettings().Where(s => s.Key.StartsWith("Trackelio__Email__", StringComparison.Ordinal)).ToDictionary();

        Assert.Equal(expected.OrderBy(s => s.Key), email.OrderBy(s => s.Key));
        // An empty app URL means the dashboard this app serves.
        Assert.Equal("empty(emailAppUrl) ? 'https://${functionApp.properties.defaultHostName}/app' : emailAppUrl", Api.Var("appUrl"));

        // main.bicep → api.bicep, one parameter each, same name and type; api.bicep takes them without defaults.
        var api = Main.Modules().Single(m => m.Symbol == "api");
        foreach (var name in EmailParams)
        {
            var main = Main.Params().Single(p => p.Name == name);
            var inApi = Api.Params().Single(p => p.Name == name);
            Assert.Equal(name, api.Params[name]);
            Assert.Equal(main.Type, inApi.Type);
            Assert.Null(inApi.Default);
        }
    }

    [Fact]
    public void Email_parameters_default_to_mail_off_and_the_apps_own_defaults()
    {
        var main = Main.Params().ToDictionary(p => p.Name);
        var api = Api.Params().ToDictionary(p => p.Name);

        // Mail is off unless a host is given, so a deployment needs none of these.
        Assert.Equal("''", main["smtpHost"].Default);
        Assert.Equal("''", main["smtpUserName"].Default);
        Assert.Equal("''", main["emailFrom"].Default);
        Assert.Equal("''", main["emailAppUrl"].Default);
        Assert.Equal(("int", "587"), (main["smtpPort"].Type, main["smtpPort"].Default));
        Assert.Equal(("int", "7"), (main["emailDigestHourUtc"].Type, main["emailDigestHourUtc"].Default));
        Assert.Equal("'StartTls'", main["smtpSecurity"].Default);
        foreach (var parameters in new[] { main, api })
        {
            Assert.Equal(["None", "StartTls", "SslOnConnect"], Allowed(parameters["smtpSecurity"]));
            Assert.Equal(("1", "65535"), (parameters["smtpPort"].Decorators["minValue"], parameters["smtpPort"].Decorators["maxValue"]));
            Assert.Equal(("0", "23"), (parameters["emailDigestHourUtc"].Decorators["minValue"], parameters["emailDigestHourUtc"].Decorators["maxValue"]));
        }
        // The app's own names for the security modes are the allowed values.
        Assert.Equal(Enum.GetNames<Trackelio.Functions.Mail.SmtpSecurity>(), Allowed(main["smtpSecurity"]));

        static IReadOnlyList<string> Allowed(BicepParam param) =>
            [.. BicepFile.ArrayItems(param.Decorators["allowed"]).Select(item => BicepFile.StringLiteral(item) ?? throw new FormatException($"{param.Name}: {item} is not a string literal"))];
    }

    /// <summary>
    /// The SMTP password is a Key Vault secret the deployment writes from a @secure() parameter, and the
    /// app setting is a Key Vault reference to it, the way <c>Trackelio__LinkSigningKey</c> is done: set
    /// only when mail is on and signs in, resolved with the identity that reads the vault's secrets.
    /// </summary>
    [Fact]
    public void Smtp_password_is_a_key_vault_reference_set_only_when_mail_signs_in()
    {
        var config = Api.Resources().Single(r => r.Type == "config" && Literal(r.Property("name")) == "appsettings");
        var properties = config.Property("properties")!;
        Assert.StartsWith("union({", properties, StringComparison.Ordinal);
        Assert.EndsWith("}, smtpPasswordSetting)", properties, StringComparison.Ordinal);
        Assert.DoesNotContain("Trackelio__Email__Password", AppSettings().Keys);

        Assert.Equal("!empty(smtpHost) && !empty(smtpUserName)", Api.Var("emailSignsIn"));
        var conditional = Api.Var("smtpPasswordSetting");
        Assert.StartsWith("emailSignsIn ? {", conditional, StringComparison.Ordinal);
        Assert.EndsWith("} : {}", conditional, StringComparison.Ordinal);
        var password = BicepFile.Parse(conditional).TopLevelProperties();
        Assert.Equal(["Trackelio__Email__Password"], password.Keys);
        Assert.Equal("'@Microsoft.KeyVault(SecretUri=${smtpPasswordSecretUri})'", password["Trackelio__Email__Password"]);

        // The reference names the secret the deployment writes, in the vault the app's identity reads.
        var api = Main.Modules().Single(m => m.Symbol == "api");
        Assert.Equal("'${keyVault.outputs.uri}secrets/${names.smtpPasswordSecret}'", api.Params["smtpPasswordSecretUri"]);
        Assert.Equal("vault.properties.vaultUri", BicepStructureTests.File("core/security/keyvault.bicep").Outputs().Single(o => o.Name == "uri").Value);
        Assert.Equal("'trackelio-smtp-password'", BicepFile.Parse(Main.Var("names")).TopLevelProperties()["smtpPasswordSecret"]);

        // Written only when a password is passed (no password: mail off, or a redeploy that keeps the stored one),
        // and before the app setting that refers to it.
        Assert.Contains("module smtpPasswordSecret 'app/smtp-password.bicep' = if (!empty(smtpPassword)) {", Main.Stripped, StringComparison.Ordinal);
        var module = Main.Modules().Single(m => m.Symbol == "smtpPasswordSecret");
        Assert.Equal("keyVault.outputs.name", module.Params["keyVaultName"]);
        Assert.Equal("names.smtpPasswordSecret", module.Params["secretName"]);
        Assert.Equal("smtpPassword", module.Params["password"]);
        Assert.Equal(["rbac", "smtpPasswordSecret"], BicepFile.ArrayItems(BicepFile.Parse(api.Body).Property("dependsOn")!).Order());

        var secret = Resource(SmtpPasswordFile, "Microsoft.KeyVault/vaults/secrets");
        Assert.Equal("vault", secret.Property("parent"));
        Assert.Equal("secretName", secret.Property("name"));
        Assert.Equal("password", secret.Property("properties.value"));

        // Key Vault Secrets User on the whole vault: the identity reads this secret as it reads the link-signing key.
        var reader = Rbac.Resources().Single(r => r.Property("properties.principalId") == "appPrincipalId"
            && r.Property("properties.roleDefinitionId")!.Contains("roles.keyVaultSecretsUser", StringComparison.Ordinal));
        Assert.Equal("vault", reader.Property("scope"));
    }

    [Fact]
    public void Email_settings_as_deployed_bind_to_the_options_the_app_documents()
    {
        var settings = AppSettings();
        var password = BicepFile.Parse(Api.Var("smtpPasswordSetting")).TopLevelProperties();

        // Mail on, to a relay that signs in (none of the defaults, so each value is seen to bind): the password
        // setting is there and resolves to the secret's value.
        var on = AsDeployed(settings.Concat(password).ToDictionary(), new Dictionary<string, string>
        {
            ["smtpHost"] = "smtp.example.com",
            ["string(smtpPort)"] = "465",
            ["smtpSecurity"] = "SslOnConnect",
            ["smtpUserName"] = "trackelio",
            ["emailFrom"] = "Trackelio <trackelio@example.com>",
            ["appUrl"] = "https://trackelio.example.com/app",
            ["'https://${functionApp.properties.defaultHostName}'"] = "https://func-trackelio-example.azurewebsites.net",
            ["string(emailDigestHourUtc)"] = "9",
            ["'@Microsoft.KeyVault(SecretUri=${smtpPasswordSecretUri})'"] = "password-from-key-vault",
        }).GetSection("Trackelio:Email").Get<Trackelio.Functions.Mail.MailOptions>(o => o.ErrorOnUnknownConfiguration = true)!;

        Assert.Equal("smtp.example.com", on.SmtpHost);
        Assert.Equal(465, on.SmtpPort);
        Assert.Equal(Trackelio.Functions.Mail.SmtpSecurity.SslOnConnect, on.Security);
        Assert.Equal("trackelio", on.UserName);
        Assert.Equal("password-from-key-vault", on.Password);
        Assert.Equal("Trackelio <trackelio@example.com>", on.From);
        Assert.Equal("https://trackelio.example.com/app", on.AppUrl);
        Assert.Equal("https://func-trackelio-example.azurewebsites.net", on.ApiUrl);
        Assert.Equal(9, on.DigestHourUtc);

        // Mail off (the defaults): an empty host, no password setting at all.
        var off = AsDeployed(settings).GetSection("Trackelio:Email").Get<Trackelio.Functions.Mail.MailOptions>(o => o.ErrorOnUnknownConfiguration = true)!;

        Assert.True(string.IsNullOrEmpty(off.SmtpHost));
        Assert.Null(off.Password);
        Assert.Equal((587, Trackelio.Functions.Mail.SmtpSecurity.StartTls, 7), (off.SmtpPort, off.Security, off.DigestHourUtc));
    }

    [Fact]
    public void Resource_names_come_from_a_hashed_resource_token()
    {
        Assert.Equal("toLower(uniqueString(subscription().id, resourceGroup().id, environmentName, location))", Main.Var("resourceToken"));
        var names = BicepFile.Parse(Main.Var("names")).TopLevelProperties();
        Assert.NotEmpty(names);
        // Key Vault secret names are fixed (the vault is per environment already).
        Assert.Equal(["linkSigningKeySecret", "smtpPasswordSecret"], names.Keys.Where(n => n.EndsWith("Secret", StringComparison.Ordinal)).Order());
        Assert.All(names.Where(n => !n.Key.EndsWith("Secret", StringComparison.Ordinal)), n => Assert.Contains("${resourceToken}", n.Value, StringComparison.Ordinal));
    }

    /// <summary>The function app's app settings, name → Bicep expression.</summary>
    private static Dictionary<string, string> AppSettings()
    {
        var config = Api.Resources().Single(r => r.Type == "config" && Literal(r.Property("name")) == "appsettings");
        return BicepFile.Parse(config.Property("properties")!).TopLevelProperties();
    }

    /// <summary>
    /// The settings as the app would see them in Azure: each Bicep expression replaced by what it
    /// evaluates to for an example account, and names read the way environment variables are (__ → :).
    /// </summary>
    private static IConfiguration AsDeployed(Dictionary<string, string> settings, IReadOnlyDictionary<string, string>? parameters = null)
    {
        var examples = new Dictionary<string, string>
        {
            ["storage.properties.primaryEndpoints.blob"] = "https://stexample.blob.core.windows.net/",
            ["storage.properties.primaryEndpoints.queue"] = "https://stexample.queue.core.windows.net/",
            ["storage.properties.primaryEndpoints.table"] = "https://stexample.table.core.windows.net/",
            ["identityClientId"] = "00000000-0000-0000-0000-0000000000c1",
            ["applicationInsights.properties.ConnectionString"] = "IngestionEndpoint=https://example.in.applicationinsights.azure.com/",
            // What App Service puts in place of the Key Vault reference: the secret's value.
            ["'@Microsoft.KeyVault(SecretUri=${linkSigningKeySecretUri})'"] = Convert.ToBase64String(new byte[72]),
            // The e-mail parameters at their defaults (mail off); a test passes others to turn it on.
            ["smtpHost"] = "",
            ["string(smtpPort)"] = "587",
            ["smtpSecurity"] = "StartTls",
            ["smtpUserName"] = "",
            ["emailFrom"] = "",
            ["appUrl"] = "https://func-trackelio-example.azurewebsites.net/app",
            ["'https://${functionApp.properties.defaultHostName}'"] = "https://func-trackelio-example.azurewebsites.net",
            ["string(emailDigestHourUtc)"] = "7",
        };
        foreach (var (expression, value) in parameters ?? new Dictionary<string, string>())
        {
            examples[expression] = value;
        }
        string Evaluate(string expression) =>
            examples.TryGetValue(expression, out var known) ? known
            : BicepFile.StringLiteral(expression) ?? Interpolation().Replace(expression.Trim('\''), m => examples[m.Groups["expression"].Value]);
        var values = settings.ToDictionary(s => s.Key.Replace("__", ":", StringComparison.Ordinal), s => (string?)Evaluate(s.Value));
        return new ConfigurationBuilder().AddInMemoryCollection(values).Build();
    }

    /// <summary>main.bicep's e-mail parameters that api.bicep turns into settings (all but the password).</summary>
    private static readonly string[] EmailParams = ["smtpHost", "smtpPort", "smtpSecurity", "smtpUserName", "emailFrom", "emailAppUrl", "emailDigestHourUtc"];

    private sealed class RecordingLogger<T> : ILogger<T>
    {
        public List<string> Warnings { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel >= LogLevel.Warning)
            {
                Warnings.Add(formatter(state, exception));
            }
        }
    }

    [GeneratedRegex(@"^subscriptionResourceId\('Microsoft\.Authorization/roleDefinitions',\s*(?<role>roles\.\w+)\)$")]
    private static partial Regex RoleDefinitionReference();

    [GeneratedRegex(@"\$\{(?<expression>[^}]+)\}")]
    private static partial Regex Interpolation();

    [GeneratedRegex(@"Get(Table|BlobContainer|Queue)Client\(\s*""")]
    private static partial Regex LiteralStorageName();

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9]{2,62}$")]
    private static partial Regex TableName();

    [GeneratedRegex(@"^(?!.*--)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$")]
    private static partial Regex QueueOrContainerName();
}
