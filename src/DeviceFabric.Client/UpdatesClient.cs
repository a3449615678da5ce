using DeviceFabric.Streams;
using DeviceFabric.Updates;

namespace DeviceFabric.Client;

/// <summary>
/// Device Update of one hub: imported updates, groups and device classes, deployments with their waves, health check
/// and rollback, status per group, class and device, cancel and retry, and deployment events. The same operations,
/// rules and errors as the REST API's <c>/deviceUpdate/{hub}/...</c>.
/// </summary>
public sealed class UpdatesClient
{
    private readonly IClusterClient _client;
    private readonly string _hub;

    internal UpdatesClient(IClusterClient client, string hub)
    {
        _client = client;
        _hub = hub;
    }

    /// <summary>The hub's imported updates.</summary>
    public Task<IReadOnlyList<UpdateRecord>> ListUpdatesAsync(CancellationToken cancellationToken = default) =>
        DeviceFabricServiceException.TranslateAsync(() => Catalog.ListAsync(cancellationToken));

    /// <summary>An imported update.</summary>
    /// <exception cref="DeviceFabricServiceException">Not imported (404).</exception>
    public Task<UpdateRecord> GetUpdateAsync(UpdateId updateId, CancellationToken cancellationToken = default) =>
        DeviceFabricServiceException.TranslateAsync(() => Catalog.GetAsync(updateId, cancellationToken));

    /// <summary>Deletes an imported update and the files no other update has.</summary>
    public Task DeleteUpdateAsync(UpdateId updateId, CancellationToken cancellationToken = default) =>
        DeviceFabricServiceException.TranslateAsync(async () =>
        {
            await Catalog.DeleteAsync(updateId, cancellationToken).ConfigureAwait(false);
            return true;
        });

    /// <summary>The groups: devices with the agent by their <c>ADUGroup</c> tag, untagged ones by class.</summary>
    public Task<IReadOnlyList<UpdateGroup>> ListGroupsAsync(CancellationToken cancellationToken = default) =>
        DeviceFabricServiceException.TranslateAsync(() => Directory.ListGroupsAsync(cancellationToken));

    /// <summary>The device classes the agents report.</summary>
    public Task<IReadOnlyList<UpdateDeviceClass>> ListDeviceClassesAsync(CancellationToken cancellationToken = default) =>
        DeviceFabricServiceException.TranslateAsync(() => Directory.ListDeviceClassesAsync(cancellationToken));

    /// <summary>Deploys an update to a group; a newer deployment makes the group's previous one inactive.</summary>
    /// <exception cref="DeviceFabricServiceException">Invalid (400, naming the field), update not imported (404), exists with other settings (409).</exception>
    public Task<UpdateDeployment> DeployAsync(UpdateDeploymentSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return DeviceFabricServiceException.TranslateAsync(() => Group(spec.GroupId).PutDeploymentAsync(spec, cancellationToken));
    }

    /// <summary>A deployment.</summary>
    public Task<UpdateDeployment> GetDeploymentAsync(string groupId, string deploymentId, CancellationToken cancellationToken = default) =>
        DeviceFabricServiceException.TranslateAsync(() => Group(groupId).GetDeploymentAsync(deploymentId, cancellationToken));

    /// <summary>A group's deployments, newest first.</summary>
    public Task<IReadOnlyList<UpdateDeployment>> ListDeploymentsAsync(string groupId, CancellationToken cancellationToken = default) =>
        DeviceFabricServiceException.TranslateAsync(() => Group(groupId).ListDeploymentsAsync(cancellationToken));

    /// <summary>A deployment's status per device class.</summary>
    public Task<UpdateDeploymentStatus> GetStatusAsync(string groupId, string deploymentId, CancellationToken cancellationToken = default) =>
        DeviceFabricServiceException.TranslateAsync(() => Group(groupId).GetStatusAsync(deploymentId, cancellationToken));

    /// <summary>The group's devices and their state about a deployment, optionally of one class or state.</summary>
    public Task<IReadOnlyList<UpdateDeviceStatus>> GetDeviceStatesAsync(
        string groupId, string deploymentId, string? deviceClassId = null, UpdateDeviceState? state = null, CancellationToken cancellationToken = default) =>
        DeviceFabricServiceException.TranslateAsync(() => Group(groupId).GetDeviceStatesAsync(deploymentId, deviceClassId, state, cancellationToken));

    /// <summary>Cancels a deployment for its group or one device class; final.</summary>
    public Task<UpdateDeployment> CancelAsync(string groupId, string deploymentId, string? deviceClassId = null, CancellationToken cancellationToken = default) =>
        DeviceFabricServiceException.TranslateAsync(() => Group(groupId).CancelAsync(deploymentId, deviceClassId, cancellationToken));

    /// <summary>Retries a deployment for its group or one device class: failed devices run it again.</summary>
    public Task<UpdateDeployment> RetryAsync(string groupId, string deploymentId, string? deviceClassId = null, CancellationToken cancellationToken = default) =>
        DeviceFabricServiceException.TranslateAsync(() => Group(groupId).RetryAsync(deploymentId, deviceClassId, cancellationToken));

    /// <summary>Deletes a deployment; its devices lose it.</summary>
    public Task DeleteDeploymentAsync(string groupId, string deploymentId, CancellationToken cancellationToken = default) =>
        DeviceFabricServiceException.TranslateAsync(async () =>
        {
            await Group(groupId).DeleteDeploymentAsync(deploymentId, cancellationToken).ConfigureAwait(false);
            return true;
        });

    /// <summary>Calls <paramref name="handler"/> for every deployment event of the hub (waves, rollbacks, cancels, counts).</summary>
    public Task<IAsyncDisposable> SubscribeAsync(Func<UpdateDeploymentEvent, Task> handler, CancellationToken cancellationToken = default) =>
        ClientGuards.SubscribeAsync(_client, FabricStreams.UpdatesNamespace, _hub, handler, cancellationToken);

    private IUpdateCatalogGrain Catalog => _client.GetGrain<IUpdateCatalogGrain>(_hub);

    private IDeviceUpdateGrain Directory => _client.GetGrain<IDeviceUpdateGrain>(_hub);

    private IUpdateGroupGrain Group(string groupId) =>
        UpdateGroups.IsValidId(groupId)
            ? _client.GetGrain<IUpdateGroupGrain>(UpdateGroups.Key(_hub, groupId))
            : throw new ArgumentException($"A group id is 1-{UpdateGroups.MaxIdLength} characters without a slash.", nameof(groupId));
}
