using DeviceFabric.Security;
using DeviceFabric.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace DeviceFabric.Tests.Configurations;

/// <summary>A real node shared by a class's tests, counting configuration metrics every second (the default is 10 s).</summary>
public sealed class ConfigurationNodeFixture : IAsyncLifetime
{
    internal TestNode Node { get; private set; } = null!;

    public async ValueTask InitializeAsync() =>
        Node = await TestNode.StartAsync(settings: new Dictionary<string, string?> { ["DeviceFabric:Configurations:MetricsInterval"] = "00:00:01" });

    public async ValueTask DisposeAsync() => await Node.DisposeAsync();

    /// <summary>A token signed with one of the hub's policies.</summary>
    internal async Task<string> TokenForAsync(string policyName)
    {
        var policies = await Node.Services.GetRequiredService<IGrainFactory>().GetGrain<IHubGrain>("devicefabric").GetAccessPoliciesAsync();
        var policy = policies.Single(p => p.KeyName == policyName);
        return SharedAccessSignature.Create("localhost", policy.PrimaryKey, policy.KeyName, DateTimeOffset.UtcNow.AddHours(1));
    }
}
