using DeviceFabric.Diagnostics;
using DeviceFabric.Hubs;
using DeviceFabric.Provisioning;
using DeviceFabric.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DeviceFabric.Api.Provisioning;

/// <summary>
/// Checks a provisioning service caller's SAS token (<c>sr</c> = the provisioning host, <c>skn</c> = one of its
/// policies): well formed, signed with the policy's primary or secondary key, unexpired, and carrying the right the
/// operation needs. Hub policies do not open the provisioning service, nor the other way round.
/// </summary>
internal sealed partial class ProvisioningAuthenticator(
    IGrainFactory grains,
    IOptions<HubOptions> hubOptions,
    IOptions<ProvisioningOptions> provisioningOptions,
    TimeProvider time,
    ILogger<ProvisioningAuthenticator> logger)
{
    private const string UnknownPolicy = "(no such policy)";

    private readonly RepeatedEventFilter _refusals = new(time, TimeSpan.FromMinutes(1));

    /// <summary>The provisioning service's host: configured, or the default hub's.</summary>
    public string HostName => provisioningOptions.Value.HostName ?? hubOptions.Value.Default.HostName;

    public async Task AuthorizeAsync(string? authorization, ProvisioningRights required, CancellationToken cancellationToken)
    {
        if (!SharedAccessSignature.TryParse(authorization, out var token, out var error))
        {
            throw Refuse(authorization is null ? "The request has no Authorization header." : error);
        }

        if (token.IsExpired(time.GetUtcNow(), hubOptions.Value.TokenClockSkew))
        {
            throw Refuse("The token has expired.");
        }

        if (token.KeyName is null || !TokenScope.Covers(token.Resource, HostName))
        {
            throw Refuse($"The token must be for {HostName} and name a provisioning service policy (skn).");
        }

        var settings = await grains.GetGrain<IProvisioningServiceGrain>(IProvisioningServiceGrain.Key).GetSettingsAsync(provisioningOptions.Value.IdScope, cancellationToken);
        var policy = settings.Policies.FirstOrDefault(p => string.Equals(p.KeyName, token.KeyName, StringComparison.Ordinal));
        if (policy is null || !(token.IsSignedWith(policy.PrimaryKey) || token.IsSignedWith(policy.SecondaryKey)))
        {
            var named = policy?.KeyName ?? UnknownPolicy;
            if (_refusals.ShouldLog(named, out var suppressed))
            {
                LogRefused(logger, named, suppressed);
            }

            throw Refuse("The token's signature does not match a key of the named policy.");
        }

        if ((policy.Rights & required) != required)
        {
            throw Refuse($"Policy {policy.KeyName} lacks the {required} right this operation needs.");
        }
    }

    private static DeviceFabricException Refuse(string reason) => new(DeviceFabricErrorCode.IotHubUnauthorizedAccess, reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a provisioning service token for policy {KeyName}: bad signature or unknown policy ({Suppressed} more left out since the last line)")]
    private static partial void LogRefused(ILogger logger, string keyName, long suppressed);
}
