using DeviceFabric.Tests.Infrastructure;

namespace DeviceFabric.Tests.Configurations;

/// <summary>A real node shared by a class's tests, counting configuration metrics every second (the default is 10 s).</summary>
public sealed class ConfigurationNodeFixture : IAsyncLifetime
{
    internal TestNode Node { get; private set; } = null!;

    public async ValueTask InitializeAsync() =>
        Node = await TestNode.StartAsync(settings: new Dictionary<string, string?> { ["DeviceFabric:Configurations:MetricsInterval"] = "00:00:01" });

    public async ValueTask DisposeAsync() => await Node.DisposeAsync();

    /// <summary>A token signed with one of the hub's policies.</summary>
    internal Task<string> TokenForAsync(string policyName) => ServiceToken.ForPolicyAsync(Node.Services, policyName);
}
