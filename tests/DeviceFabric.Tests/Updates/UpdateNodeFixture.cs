using DeviceFabric.Tests.Infrastructure;

namespace DeviceFabric.Tests.Updates;

/// <summary>A real node shared by a class's tests, counting update deployments every 200 ms (the default is 5 s).</summary>
public sealed class UpdateNodeFixture : IAsyncLifetime
{
    internal TestNode Node { get; private set; } = null!;

    public async ValueTask InitializeAsync() =>
        Node = await TestNode.StartAsync(settings: new Dictionary<string, string?> { ["DeviceFabric:Updates:StatusInterval"] = "00:00:00.200", ["DeviceFabric:Updates:OfflineGrace"] = "00:00:02" });

    public async ValueTask DisposeAsync() => await Node.DisposeAsync();

    /// <summary>A token signed with one of the hub's policies.</summary>
    internal Task<string> TokenForAsync(string policyName) => ServiceToken.ForPolicyAsync(Node.Services, policyName);
}
