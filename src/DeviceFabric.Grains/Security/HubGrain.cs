using DeviceFabric.Persistence;
using Microsoft.Extensions.Logging;

namespace DeviceFabric.Security;

/// <summary>
/// A hub's shared access policies: IoT Hub's five defaults with fresh keys, created once and stored; then created,
/// changed, rolled over and deleted by the hub's owner. A key that stops working is withdrawn from every front end.
/// </summary>
internal sealed partial class HubGrain(
    [PersistentState("hub", GrainStorage.Name)] IPersistentState<HubState> state,
    ILogger<HubGrain> logger) : Grain, IHubGrain
{
    private string Hub => this.GetPrimaryKeyString();

    public async Task<IReadOnlyList<SharedAccessPolicy>> GetAccessPoliciesAsync(CancellationToken cancellationToken = default)
    {
        await EnsureDefaultsAsync(cancellationToken);
        return state.State.Policies;
    }

    public async Task<SharedAccessPolicy> PutPolicyAsync(PolicySettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        await EnsureDefaultsAsync(cancellationToken);
        ThrowIfInvalidName(settings.KeyName);
        if (settings.Rights == AccessRights.None || (settings.Rights & ~AccessRights.All) != 0)
        {
            throw Invalid("rights must name at least one of RegistryRead, RegistryWrite, ServiceConnect and DeviceConnect.");
        }

        var policies = state.State.Policies;
        var index = policies.FindIndex(p => p.KeyName == settings.KeyName);
        var current = index >= 0 ? policies[index] : null;
        if (current is null && policies.Count >= IHubGrain.MaxPolicies)
        {
            throw Invalid($"A hub has at most {IHubGrain.MaxPolicies} policies.");
        }

        var policy = new SharedAccessPolicy(
            settings.KeyName,
            settings.Rights,
            Key(settings.PrimaryKey, current?.PrimaryKey, "primaryKey"),
            Key(settings.SecondaryKey, current?.SecondaryKey, "secondaryKey"));
        var updated = policies.ToList();
        if (current is null)
        {
            updated.Add(policy);
        }
        else
        {
            updated[index] = policy;
        }

        ThrowIfNoOwnerLeft(updated);
        await SaveAsync(updated, cancellationToken);
        await WithdrawAsync(current, policy);
        var detail = current is null ? $"rights {policy.Rights}"
            : $"rights {current.Rights} -> {policy.Rights}{KeysChanged(current, policy)}";
        await AuditAsync(current is null ? SecurityAuditKind.PolicyCreated : SecurityAuditKind.PolicyUpdated, policy.KeyName, detail);
        return policy;
    }

    public async Task DeletePolicyAsync(string keyName, CancellationToken cancellationToken = default)
    {
        await EnsureDefaultsAsync(cancellationToken);
        var current = Find(keyName);
        var updated = state.State.Policies.Where(p => p.KeyName != keyName).ToList();
        ThrowIfNoOwnerLeft(updated);
        await SaveAsync(updated, cancellationToken);
        await WithdrawAsync(current, replacement: null);
        await AuditAsync(SecurityAuditKind.PolicyDeleted, keyName, $"rights {current.Rights}");
    }

    public async Task<SharedAccessPolicy> RegenerateKeyAsync(string keyName, KeyRollover rollover, CancellationToken cancellationToken = default)
    {
        await EnsureDefaultsAsync(cancellationToken);
        var current = Find(keyName);
        var (primary, secondary) = rollover.Apply(current.PrimaryKey, current.SecondaryKey, SymmetricKeys.Generate);
        var policy = current with { PrimaryKey = primary, SecondaryKey = secondary };
        await SaveAsync(state.State.Policies.Select(p => p.KeyName == keyName ? policy : p).ToList(), cancellationToken);
        await WithdrawAsync(current, policy);
        await AuditAsync(SecurityAuditKind.PolicyKeyRegenerated, keyName, rollover.Describe());
        LogKeyRegenerated(logger, Hub, keyName, rollover);
        return policy;
    }

    private async Task EnsureDefaultsAsync(CancellationToken cancellationToken)
    {
        if (state.State.Policies.Count == 0)
        {
            state.State.Policies = SharedAccessPolicy.Defaults
                .Select(p => new SharedAccessPolicy(p.KeyName, p.Rights, SymmetricKeys.Generate(), SymmetricKeys.Generate()))
                .ToList();
            await state.WriteStateAsync(cancellationToken);
        }
    }

    private async Task SaveAsync(List<SharedAccessPolicy> policies, CancellationToken cancellationToken)
    {
        var previous = state.State.Policies;
        state.State.Policies = policies;
        try
        {
            await state.WriteStateAsync(cancellationToken);
        }
        catch
        {
            state.State.Policies = previous;
            throw;
        }
    }

    /// <summary>Tells front ends when a key of the policy stopped working for devices, so the sessions that used it close.</summary>
    private Task WithdrawAsync(SharedAccessPolicy? current, SharedAccessPolicy? replacement)
    {
        if (current is null || !current.Rights.HasFlag(AccessRights.DeviceConnect))
        {
            return Task.CompletedTask;
        }

        string[] remaining = replacement?.Rights.HasFlag(AccessRights.DeviceConnect) == true
            ? [KeyFingerprint.Of(replacement.PrimaryKey), KeyFingerprint.Of(replacement.SecondaryKey)]
            : [];
        return remaining.Contains(KeyFingerprint.Of(current.PrimaryKey)) && remaining.Contains(KeyFingerprint.Of(current.SecondaryKey))
            ? Task.CompletedTask
            : SecurityNotices.WithdrawAsync(this, new CredentialWithdrawal(Hub, current.KeyName, remaining, []), logger);
    }

    private Task AuditAsync(SecurityAuditKind kind, string subject, string detail) =>
        SecurityNotices.AuditAsync(GrainFactory, Hub, kind, subject, detail, logger);

    private SharedAccessPolicy Find(string keyName) =>
        state.State.Policies.FirstOrDefault(p => p.KeyName == keyName)
        ?? throw new DeviceFabricException(DeviceFabricErrorCode.PolicyNotFound, $"Hub {Hub} has no policy {keyName}.");

    private static string KeysChanged(SharedAccessPolicy before, SharedAccessPolicy after) =>
        (before.PrimaryKey != after.PrimaryKey ? ", primary key replaced" : string.Empty)
        + (before.SecondaryKey != after.SecondaryKey ? ", secondary key replaced" : string.Empty);

    /// <summary>A hub always keeps a policy with every right, or nobody could manage it again.</summary>
    private static void ThrowIfNoOwnerLeft(List<SharedAccessPolicy> policies)
    {
        if (!policies.Any(p => p.Rights == AccessRights.All))
        {
            throw Invalid("The hub must keep at least one policy with every right (RegistryRead, RegistryWrite, ServiceConnect, DeviceConnect).");
        }
    }

    private static void ThrowIfInvalidName(string name)
    {
        if (!ResourceNames.IsValid(name))
        {
            throw Invalid("keyName must be 1-64 letters, digits, '-', '_' or '.'.");
        }
    }

    private static string Key(string? requested, string? current, string name)
    {
        if (string.IsNullOrEmpty(requested))
        {
            return current ?? SymmetricKeys.Generate();
        }

        return SymmetricKeys.IsValid(requested)
            ? requested
            : throw Invalid($"{name} must be base64 of {SymmetricKeys.MinBytes} to {SymmetricKeys.MaxBytes} bytes.");
    }

    private static DeviceFabricException Invalid(string message) => new(DeviceFabricErrorCode.ArgumentInvalid, message);

    [LoggerMessage(Level = LogLevel.Information, Message = "Hub {Hub}: policy {KeyName} key rollover {Rollover}")]
    private static partial void LogKeyRegenerated(ILogger logger, string hub, string keyName, KeyRollover rollover);
}
