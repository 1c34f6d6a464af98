using Trackelio.Functions.Hosting;

namespace Trackelio.Functions.Tests.Hosting;

/// <summary>The worker exports to Application Insights as the identity the Bicep names, and only then.</summary>
public sealed class TelemetryTests
{
    [Theory]
    [InlineData("ClientId=1b2c3d4e-0000-4000-8000-000000000001;Authorization=AAD", "1b2c3d4e-0000-4000-8000-000000000001")]
    [InlineData("Authorization=aad; ClientId=abc", "abc")]
    [InlineData("ClientId=abc", null)]
    [InlineData("Authorization=AAD", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void The_authentication_string_names_the_managed_identity(string? setting, string? clientId)
    {
        Assert.Equal(clientId, Telemetry.ManagedIdentityClientId(setting));
    }
}
