using DeviceFabric.Diagnostics;
using DeviceFabric.Hubs;
using DeviceFabric.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DeviceFabric.Api.Security;

/// <summary>
/// Checks a service caller's SAS token against the hub's shared access policies: well formed, signed with the named
/// policy's primary or secondary key, unexpired, for this hub, and carrying the right the operation needs.
/// </summary>
internal sealed partial class ServiceAuthenticator(
    IGrainFactory grains,
    IOptions<HubOptions> hubOptions,
    TimeProvider time,
    ILogger<ServiceAuthenticator> logger)
{
    // Whoever reaches the port chooses how many bad tokens arrive: one line a minute per policy name, with the count.
    private const string UnknownPolicy = "(no such policy)";

    private readonly RepeatedEventFilter _refusals = new(time, TimeSpan.FromMinutes(1));

    /// <summary>
    /// Returns the hub the caller may act on at <paramref name="path"/>, or throws
    /// <see cref="DeviceFabricErrorCode.IotHubUnauthorizedAccess"/>.
    /// </summary>
    public async Task<string> AuthorizeAsync(string? authorization, string path, AccessRights required, bool any, CancellationToken cancellationToken) =>
        (await AuthorizeCallerAsync(authorization, path, required, any, cancellationToken)).Hub;

    /// <summary>As <see cref="AuthorizeAsync"/>, also naming the policy the caller's token was signed with.</summary>
    public async Task<(string Hub, string Policy)> AuthorizeCallerAsync(string? authorization, string path, AccessRights required, bool any, CancellationToken cancellationToken)
    {
        if (!SharedAccessSignature.TryParse(BearerToken(authorization), out var token, out var error))
        {
            throw Refuse(authorization is null ? "The request has no Authorization header." : error);
        }

        var options = hubOptions.Value;
        if (token.IsExpired(time.GetUtcNow(), options.TokenClockSkew))
        {
            throw Refuse("The token has expired.");
        }

        if (token.KeyName is null)
        {
            throw Refuse("The token names no shared access policy (skn).");
        }

        if (!TokenScope.Covers(token.Resource, token.ResourceHost + TokenScope.ResourceOf(path)))
        {
            throw Refuse($"The token is for {token.Resource}, which does not cover {path}.");
        }

        var hub = options.ResolveHub(token.ResourceHost);
        var policies = await grains.GetGrain<IHubGrain>(hub).GetAccessPoliciesAsync(cancellationToken);
        var policy = policies.FirstOrDefault(p => string.Equals(p.KeyName, token.KeyName, StringComparison.Ordinal));
        if (policy is null || !(token.IsSignedWith(policy.PrimaryKey) || token.IsSignedWith(policy.SecondaryKey)))
        {
            // The caller names the policy: names of no policy share one line, so they cannot crowd out the real ones.
            var named = policy is null ? UnknownPolicy : policy.KeyName;
            if (_refusals.ShouldLog(string.Concat(hub, "/", named), out var suppressed))
            {
                LogRefused(logger, named, hub, suppressed);
            }

            throw Refuse("The token's signature does not match a key of the named policy.");
        }

        if (any ? (policy.Rights & required) == 0 : (policy.Rights & required) != required)
        {
            throw Refuse($"Policy {policy.KeyName} lacks the {required} right this operation needs.");
        }

        return (hub, policy.KeyName);
    }

    /// <summary>
    /// Device Update's clients send their token as a bearer token: <c>Bearer SharedAccessSignature sr=...</c>, or the
    /// token's fields alone (<c>Bearer sr=...</c>). Either is read as IoT Hub's own header.
    /// </summary>
    private static string? BearerToken(string? authorization)
    {
        const string Bearer = "Bearer ";
        if (authorization is null || !authorization.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase))
        {
            return authorization;
        }

        var token = authorization[Bearer.Length..].TrimStart();
        return token.StartsWith(SharedAccessSignature.Prefix, StringComparison.Ordinal) ? token : SharedAccessSignature.Prefix + token;
    }

    private static DeviceFabricException Refuse(string reason) => new(DeviceFabricErrorCode.IotHubUnauthorizedAccess, reason);

    // Names the policy, never the token: a token is a bearer secret until it expires.
    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a service token for policy {KeyName} on hub {Hub}: bad signature or unknown policy ({Suppressed} more left out since the last line)")]
    private static partial void LogRefused(ILogger logger, string keyName, string hub, long suppressed);
}
