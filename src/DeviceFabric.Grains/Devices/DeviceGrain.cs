using System.Globalization;
using System.Security.Cryptography;
using DeviceFabric.CloudToDevice;
using DeviceFabric.Diagnostics;
using DeviceFabric.Events;
using DeviceFabric.Hubs;
using DeviceFabric.Persistence;
using DeviceFabric.Registry;
using DeviceFabric.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Streams;

namespace DeviceFabric.Devices;

/// <summary>
/// One device: its identity (this file), its credentials (<c>DeviceGrain.Credentials.cs</c>), its live session
/// (<c>DeviceGrain.Session.cs</c>), direct methods, the
/// cloud-to-device queue (<c>CloudToDevice/DeviceGrain.CloudToDevice.cs</c>) and its lifecycle events. Every field is
/// declared here; the other parts hold behaviour only.
/// Identity writes return only once stored, then the device's row in its registry shard is brought up to date.
/// A module is the same grain keyed <c>{hub}/{deviceId}/{moduleId}</c> (<c>Modules/DeviceGrain.Modules.cs</c>): it has
/// its own keys, session, twin and methods, but no status, cloud-to-device queue or modules of its own.
/// </summary>
internal sealed partial class DeviceGrain(
    [PersistentState("device", GrainStorage.Name)] IPersistentState<DeviceState> state,
    [PersistentState("c2d", GrainStorage.Name)] IPersistentState<CloudToDeviceState> c2d,
    DeviceFabric.Hosting.GrainClock clock,
    IOptions<HubOptions> hubOptions,
    SecurityInstruments securityInstruments,
    DeviceInstruments deviceInstruments,
    DeviceFabric.Configurations.ConfigurationCatalogCache catalogs,
    ILogger<DeviceGrain> logger) : Grain, IDeviceIdentityGrain, IDeviceSessionGrain, IDeviceConnectionHistoryGrain
{
    private static readonly TimeSpan s_keepAlivePeriod = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan s_repeatedLogInterval = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan s_healthReportInterval = TimeSpan.FromSeconds(15);

    private string _hub = string.Empty;
    /// <summary>The identity id: the device id, or <c>{deviceId}/{moduleId}</c> for a module.</summary>
    private string _deviceId = string.Empty;

    /// <summary>The device id: the identity's own, or a module's device's.</summary>
    private string _parentId = string.Empty;

    /// <summary>The module id when this grain is a module, else null.</summary>
    private string? _moduleId;

    /// <summary>The attached connection, if any (<c>DeviceGrain.Session.cs</c>).</summary>
    private LiveSession? _live;

    /// <summary>The epoch of the latest session; the next one's is greater.</summary>
    private long _epoch;

    private IGrainTimer? _keepAlive;

    /// <summary>Connection state and last activity changed in memory since the device state was last stored.</summary>
    private bool _connectionStateDirty;

    private IAsyncStream<DeviceLifecycleEvent>? _lifecycle;

    /// <summary>Completes while a session subscribed to methods is attached; method calls made before it wait on it.</summary>
    private TaskCompletionSource _methodsReady = NewSignal();

    private long _nextRequestId;

    /// <summary>When the registry shard last heard of the device's health; it hears at most every <see cref="s_healthReportInterval"/>.</summary>
    private DateTimeOffset _healthReportedAt;

    /// <summary>The recent telemetry rate, messages a minute (an exponentially weighted average).</summary>
    private double _messagesPerMinute;

    /// <summary>The queue depth this grain last added to the silo's gauge; taken back when it deactivates.</summary>
    private int _reportedQueueDepth;

    /// <summary>Answers to no pending call: the device chooses how many, so they are logged once a minute with a count.</summary>
    private readonly RepeatedEvent _unknownMethodResponses = new();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_hub, _deviceId) = DeviceKey.Parse(this.GetPrimaryKeyString());
        (_parentId, _moduleId) = Modules.ModuleIds.Split(_deviceId);
        if (state.State.Exists)
        {
            // Repairs the catalog if an earlier process stopped between the device write and the shard write; an
            // unchanged row costs the shard no write.
            await Shard.UpsertAsync(Entry(), cancellationToken);
        }

        // A status change its modules may not have heard (the process stopped before they did) is told again.
        await TellModulesStatusAsync(cancellationToken);

        // Last: an activation that fails before here never deactivates, and would leave its count in the gauge.
        ReportQueueDepth(c2d.State.Messages.Count);
    }

    public async Task<DeviceIdentity> CreateAsync(DeviceSettings settings, CancellationToken cancellationToken = default)
    {
        ThrowIfModule("created");
        DeviceIdRules.ThrowIfInvalid(_deviceId);
        if (state.State.Exists)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.DeviceAlreadyExists, $"Device {_deviceId} already exists.");
        }

        var identity = await CreateIdentityAsync(settings, cancellationToken);
        await EnsureEdgeModulesAsync(cancellationToken);
        return identity;
    }

    /// <summary>Creates this device or module: stores it, announces it and tells its twin of the new generation.</summary>
    private async Task<DeviceIdentity> CreateIdentityAsync(DeviceSettings settings, CancellationToken cancellationToken)
    {
        var authentication = DeviceSettingsRules.Resolve(settings, current: null);
        var now = clock.Time.GetUtcNow();
        var s = state.State;
        var recreated = s.Version > 0;
        s.Exists = true;
        s.Version++;
        s.GenerationId = NewGenerationId();
        s.Status = IsModule ? DeviceStatus.Enabled : settings.Status;
        s.StatusReason = settings.StatusReason;
        s.StatusUpdatedTime = now;
        s.Authentication = authentication;
        s.IsEdge = !IsModule && settings.IsEdge;
        s.ConnectionStateUpdatedTime = default;
        s.LastActivityTime = default;
        s.ModelId = null;
        s.CertificateThumbprint = null;
        s.CertificateExpiry = null;
        s.ManagedBy = settings.ManagedBy;
        s.Modules = [];
        s.ConnectionHistory = [];
        try
        {
            await SaveAsync(cancellationToken);
        }
        catch
        {
            // Nothing of a create that was not stored may stay in memory (it would authenticate, and answer reads).
            await state.ReadStateAsync(cancellationToken);
            throw;
        }

        if (c2d.State.Messages.Count > 0)
        {
            // A re-created device starts with an empty queue.
            c2d.State.Messages = [];
            await c2d.WriteStateAsync(cancellationToken);
            ReportQueueDepth(0);
        }

        if (recreated)
        {
            await TellTwinAsync();
        }

        LogCreated(logger, _hub, _deviceId);
        await PublishAsync(DeviceLifecycleKind.Created, 0, null);
        await ReconcileTwinSoonAsync();
        return Identity();
    }

    public async Task<DeviceIdentity> UpdateAsync(DeviceSettings settings, string? ifMatch, CancellationToken cancellationToken = default)
    {
        ThrowUnlessExistsAndMatches(ifMatch);
        var authentication = DeviceSettingsRules.Resolve(settings, state.State.Authentication);
        var s = state.State;
        var previous = s.Authentication;
        var wasEdge = s.IsEdge;
        var status = IsModule ? DeviceStatus.Enabled : settings.Status;
        var statusChanged = s.Status != status;
        if (statusChanged)
        {
            s.StatusUpdatedTime = clock.Time.GetUtcNow();
        }

        s.Version++;
        s.Status = status;
        s.StatusReason = settings.StatusReason;
        s.Authentication = authentication;
        s.IsEdge = !IsModule && settings.IsEdge;
        s.ManagedBy = settings.ManagedBy;
        s.ModulesStatusPending |= statusChanged && s.Modules.Count > 0;
        await SaveAsync(cancellationToken);
        LogUpdated(logger, _hub, _deviceId, s.Status);

        // The device's own session first: nothing after this may keep a disabled device connected.
        if (s.Status == DeviceStatus.Disabled)
        {
            await EndLiveSessionAsync("device disabled");
        }
        else if (authentication != previous)
        {
            await CredentialsReplacedAsync(previous, SecurityAuditKind.DeviceCredentialsChanged);
        }

        await TellModulesStatusAsync(cancellationToken);
        await EnsureEdgeModulesAsync(cancellationToken);
        if (s.IsEdge != wasEdge)
        {
            // Deployments target edge devices only: becoming one brings them, ceasing to be one takes them away.
            await ReconcileTwinSoonAsync(always: true);
        }

        return Identity();
    }

    public Task<DeviceIdentity?> GetAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(state.State.Exists ? Identity() : null);

    public async Task DeleteAsync(string? ifMatch, CancellationToken cancellationToken = default)
    {
        ThrowIfModule("deleted");
        ThrowUnlessExistsAndMatches(ifMatch);
        await DeleteModulesAsync(cancellationToken);
        await DeleteIdentityAsync(cancellationToken);
    }

    /// <summary>Deletes this device or module: the row is kept (not existing) so etags never repeat.</summary>
    private async Task DeleteIdentityAsync(CancellationToken cancellationToken)
    {
        state.State.Exists = false;
        state.State.Version++;
        await state.WriteStateAsync(cancellationToken);
        await Shard.RemoveAsync(_deviceId, cancellationToken);
        await TellTwinAsync();
        LogDeleted(logger, _hub, _deviceId);
        await EndLiveSessionAsync(IsModule ? "module deleted" : "device deleted");
        await PublishAsync(DeviceLifecycleKind.Deleted, 0, null);
    }

    private IRegistryShardGrain Shard =>
        GrainFactory.GetGrain<IRegistryShardGrain>(RegistryShards.Key(_hub, RegistryShards.ShardOf(_parentId)));

    private async Task SaveAsync(CancellationToken cancellationToken)
    {
        await state.WriteStateAsync(cancellationToken);
        _connectionStateDirty = false;
        await Shard.UpsertAsync(Entry(), cancellationToken);
    }

    /// <summary>
    /// Tells the twin that this generation ended or a new one began, so it stops using the generation it keeps. The
    /// identity is already stored; a twin that cannot be told is logged, and the next re-creation tells it again.
    /// </summary>
    private async Task TellTwinAsync()
    {
        try
        {
            await GrainFactory.GetGrain<Twins.ITwinIdentityGrain>(this.GetPrimaryKeyString()).DeviceChangedAsync(state.State.Version);
        }
        catch (Exception ex)
        {
            LogTwinNotTold(logger, ex, _hub, _deviceId);
        }
    }

    private void ThrowUnlessExistsAndMatches(string? ifMatch)
    {
        if (!state.State.Exists)
        {
            throw DeviceFabricException.IdentityNotFound(_deviceId);
        }

        if (!ETags.Matches(ifMatch, ETags.FromVersion(state.State.Version)))
        {
            throw new DeviceFabricException(
                DeviceFabricErrorCode.PreconditionFailed,
                $"Precondition failed: the etag given for {Noun.ToLowerInvariant()} {_deviceId} is not its current one.");
        }
    }

    /// <summary>IoT Hub's generation ids are 18 decimal digits; a new one tells a re-created device from its predecessor.</summary>
    private static string NewGenerationId() =>
        (RandomNumberGenerator.GetInt32(100_000_000, 999_999_999) * 1_000_000_000L
            + RandomNumberGenerator.GetInt32(0, 999_999_999)).ToString(CultureInfo.InvariantCulture);
}
