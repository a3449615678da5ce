using System.Buffers;
using Microsoft.Extensions.Logging;

namespace DeviceFabric.Security;

/// <summary>The hub's revocation list: certificates refused whatever their chain, their sessions closed at once.</summary>
internal sealed partial class HubCertificatesGrain
{
    private static readonly SearchValues<char> s_hex = SearchValues.Create("0123456789abcdefABCDEF");

    public async Task<Revocation> RevokeAsync(string? thumbprint, string? serialNumber, string reason, CancellationToken cancellationToken = default)
    {
        if ((thumbprint is null) == (serialNumber is null))
        {
            throw Invalid("Name the certificate by exactly one of thumbprint and serialNumber.");
        }

        if (thumbprint is not null && !(thumbprint.Length is 40 or 64 && !thumbprint.AsSpan().ContainsAnyExcept(s_hex)))
        {
            throw Invalid("thumbprint must be 40 (SHA-1) or 64 (SHA-256) hex digits.");
        }

        if (serialNumber is not null && !(serialNumber.Length is > 0 and <= 64 && !serialNumber.AsSpan().ContainsAnyExcept(s_hex)))
        {
            throw Invalid("serialNumber must be 1-64 hex digits.");
        }

        if (string.IsNullOrWhiteSpace(reason) || reason.Length > Revocation.MaxReasonLength)
        {
            throw Invalid($"reason is required, at most {Revocation.MaxReasonLength} characters.");
        }

        var entry = new Revocation(thumbprint?.ToUpperInvariant(), serialNumber is null ? null : CertificateNames.NormalizeSerial(serialNumber), reason, clock.Time.GetUtcNow());
        var kept = state.State.Revocations;
        var others = kept.Where(r => r.Key != entry.Key).ToList();
        if (others.Count >= IHubCertificatesGrain.MaxRevocations)
        {
            throw Invalid($"A hub's revocation list holds at most {IHubCertificatesGrain.MaxRevocations} entries.");
        }

        state.State.Revocations = [.. others, entry];
        await WriteAsync(() => state.State.Revocations = kept, cancellationToken);
        await SecurityNotices.WithdrawAsync(this, new CredentialWithdrawal(Hub, null, [], [entry.Key]), logger);
        await AuditAsync(SecurityAuditKind.CertificateRevoked, entry.Key, reason);
        LogRevoked(logger, Hub, entry.Key);
        return entry;
    }

    public async Task RemoveRevocationAsync(string key, CancellationToken cancellationToken = default)
    {
        var kept = state.State.Revocations;
        var entry = kept.FirstOrDefault(r => string.Equals(r.Key, key, StringComparison.OrdinalIgnoreCase))
            ?? throw new DeviceFabricException(DeviceFabricErrorCode.CertificateNotFound, $"Hub {Hub} has no revocation entry {key}.");
        state.State.Revocations = kept.Where(r => r != entry).ToList();
        await WriteAsync(() => state.State.Revocations = kept, cancellationToken);
        await AuditAsync(SecurityAuditKind.RevocationRemoved, entry.Key, "taken off the revocation list");
    }

    public Task<IReadOnlyList<Revocation>> ListRevocationsAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<Revocation>>(state.State.Revocations);

    [LoggerMessage(Level = LogLevel.Information, Message = "Hub {Hub}: certificate {Key} revoked")]
    private static partial void LogRevoked(ILogger logger, string hub, string key);
}
