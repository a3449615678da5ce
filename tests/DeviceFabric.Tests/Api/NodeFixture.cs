using DeviceFabric.Tests.Infrastructure;

namespace DeviceFabric.Tests.Api;

/// <summary>One real node shared by the tests of a class; each test uses its own device ids.</summary>
public sealed class NodeFixture : IAsyncLifetime
{
    internal TestNode Node { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Node = await TestNode.StartAsync();

    public async ValueTask DisposeAsync() => await Node.DisposeAsync();

    /// <summary>A token signed with one of the hub's policies, valid for <paramref name="validFor"/> (negative for an expired one).</summary>
    internal Task<string> TokenForAsync(string policyName, TimeSpan? validFor = null, string resource = "localhost") =>
        ServiceToken.ForPolicyAsync(Node.Services, policyName, validFor, resource);
}
