using DeviceFabric.Persistence;

namespace DeviceFabric.DigitalTwins;

/// <summary>What the bindings grain stores.</summary>
[GenerateSerializer, Alias("devicefabric.DigitalTwinBindingsState")]
public sealed class DigitalTwinBindingsState
{
    [Id(0)] public Dictionary<string, DigitalTwinBindingRule> Rules { get; set; } = new(StringComparer.Ordinal);

    [Id(1)] public Dictionary<string, string> Devices { get; set; } = new(StringComparer.Ordinal);

    [Id(2)] public long Version { get; set; }
}

/// <summary>A hub's device-to-twin rules and bindings; readers see a change once it is stored.</summary>
internal sealed class DigitalTwinBindingsGrain(
    [PersistentState("dtbindings", GrainStorage.Name)] IPersistentState<DigitalTwinBindingsState> state,
    Microsoft.Extensions.Logging.ILogger<DigitalTwinBindingsGrain> logger) : Grain, IDigitalTwinBindingsGrain
{
    private DigitalTwinBindings _published = new(0, [], new Dictionary<string, string>());

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        Publish();
        return Task.CompletedTask;
    }

    public async Task<DigitalTwinBindingRule> PutRuleAsync(string ruleId, DigitalTwinBindingRule rule, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rule);
        if (!DigitalTwinKeys.IsValidId(ruleId) || string.IsNullOrWhiteSpace(rule.ModelId) || !rule.ModelId.StartsWith("dtmi:", StringComparison.Ordinal))
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, "A rule has an id and a modelId (a DTMI).");
        }

        if (!rule.TwinIdPattern.Contains("{deviceId}", StringComparison.Ordinal) || !DigitalTwinKeys.IsValidId(rule.TwinIdOf("d")))
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, "twinIdPattern names the twin with {deviceId} in it, such as room-{deviceId}.");
        }

        if (!state.State.Rules.ContainsKey(ruleId) && state.State.Rules.Count >= IDigitalTwinBindingsGrain.MaxRules)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, $"A hub keeps at most {IDigitalTwinBindingsGrain.MaxRules} binding rules.");
        }

        var stored = rule with { RuleId = ruleId };
        await SaveAsync(s => s.Rules[ruleId] = stored, cancellationToken);
        return stored;
    }

    public Task DeleteRuleAsync(string ruleId, CancellationToken cancellationToken = default) =>
        state.State.Rules.ContainsKey(ruleId)
            ? SaveAsync(s => s.Rules.Remove(ruleId), cancellationToken)
            : throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, $"No binding rule {ruleId}.");

    public Task BindDeviceAsync(string deviceId, string twinId, CancellationToken cancellationToken = default)
    {
        if (!DigitalTwinKeys.IsValidId(twinId) || string.IsNullOrEmpty(deviceId))
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, "A binding names a device and a twin id.");
        }

        if (!state.State.Devices.ContainsKey(deviceId) && state.State.Devices.Count >= IDigitalTwinBindingsGrain.MaxDeviceBindings)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, $"A hub keeps at most {IDigitalTwinBindingsGrain.MaxDeviceBindings} device bindings.");
        }

        return SaveAsync(s => s.Devices[deviceId] = twinId, cancellationToken);
    }

    public Task UnbindDeviceAsync(string deviceId, CancellationToken cancellationToken = default) =>
        state.State.Devices.ContainsKey(deviceId) ? SaveAsync(s => s.Devices.Remove(deviceId), cancellationToken) : Task.CompletedTask;

    public Task<DigitalTwinBindings> GetBindingsAsync(long knownVersion, CancellationToken cancellationToken = default) =>
        Task.FromResult(knownVersion == _published.Version ? _published with { Rules = null, Devices = null } : _published);

    private async Task SaveAsync(Action<DigitalTwinBindingsState> change, CancellationToken cancellationToken)
    {
        var previous = state.State;
        var next = new DigitalTwinBindingsState
        {
            Rules = new Dictionary<string, DigitalTwinBindingRule>(previous.Rules, StringComparer.Ordinal),
            Devices = new Dictionary<string, string>(previous.Devices, StringComparer.Ordinal),
            Version = previous.Version + 1,
        };
        change(next);
        state.State = next;
        try
        {
            await state.WriteStateAsync(cancellationToken);
        }
        catch
        {
            previous.Version++;
            state.State = previous;
            DeactivateOnIdle();
            throw;
        }

        Publish();
        if (HasBindings(next) && !HasBindings(previous))
        {
            // Telemetry reaches the binder only while something listens; from now on, these bindings do. Later ones
            // need no telling (a bulk bind would otherwise call every fan-out once per device).
            await Telemetry.ListenerNotice.TellAsync(GrainFactory, this.GetPrimaryKeyString(), logger);
        }
    }

    private static bool HasBindings(DigitalTwinBindingsState bindings) => bindings.Rules.Count > 0 || bindings.Devices.Count > 0;

    private void Publish() => _published = new DigitalTwinBindings(
        state.State.Version, [.. state.State.Rules.Values], new Dictionary<string, string>(state.State.Devices, StringComparer.Ordinal));
}
