using DeviceFabric.Security;
using Microsoft.Extensions.DependencyInjection;

namespace DeviceFabric.Tests.Infrastructure;

/// <summary>Service SAS tokens made from an IoT Hub connection string, as the Azure service SDKs make them.</summary>
internal static class ServiceToken
{
    public static string FromConnectionString(string connectionString, TimeSpan? validFor = null)
    {
        var parts = ParseConnectionString(connectionString);
        return SharedAccessSignature.Create(
            parts["HostName"], parts["SharedAccessKey"], parts["SharedAccessKeyName"], DateTimeOffset.UtcNow + (validFor ?? TimeSpan.FromHours(1)));
    }

    /// <summary>A token signed with one of a node's hub policies (<paramref name="validFor"/> negative for an expired one).</summary>
    public static async Task<string> ForPolicyAsync(IServiceProvider services, string policyName, TimeSpan? validFor = null, string resource = "localhost")
    {
        var policies = await services.GetRequiredService<IGrainFactory>().GetGrain<IHubGrain>("devicefabric").GetAccessPoliciesAsync();
        var policy = policies.Single(p => p.KeyName == policyName);
        return SharedAccessSignature.Create(resource, policy.PrimaryKey, policy.KeyName, DateTimeOffset.UtcNow + (validFor ?? TimeSpan.FromHours(1)));
    }

    public static Dictionary<string, string> ParseConnectionString(string connectionString) =>
        connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .ToDictionary(p => p[0], p => p[1], StringComparer.OrdinalIgnoreCase);
}
