using DeviceFabric.Security;
using DeviceFabric.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace DeviceFabric.Tests.Api;

/// <summary>One real node shared by the tests of a class; each test uses its own device ids.</summary>
public sealed class NodeFixture : IAsyncLifetime
{
    internal TestNode Node { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Node = await TestNode.StartAsync();

    public async ValueTask DisposeAsync() => await Node.DisposeAsync();

    /// <summary>A token signed with one of the hub's policies, valid for <paramref name="validFor"/> (negative for an expired one).</summary>
    internal async Task<string> TokenForAsync(string policyName, TimeSpan? validFor = null, string resource = "localhost")
    {
        var policies = await Node.Services.GetRequiredService<IGrainFactory>().GetGrain<IHubGrain>("devicefabric").GetAccessPoliciesAsync();
        var policy = policies.Single(p => p.KeyName == policyName);
        return SharedAccessSignature.Create(resource, policy.PrimaryKey, policy.KeyName, DateTimeOffset.UtcNow + (validFor ?? TimeSpan.FromHours(1)));
    }
}
