namespace DeviceFabric.Updates;

/// <summary>
/// One group's deployments (Device Update's group). Key: <c>{hub}/{groupId}</c> (<see cref="UpdateGroups.Key"/>). A
/// group has at most one active deployment: a new one makes the previous inactive. Writes return once stored; the
/// devices get their desired <c>deviceUpdate.service</c> within seconds, and the status follows their agents.
/// </summary>
[Alias("devicefabric.IUpdateGroupGrain")]
public interface IUpdateGroupGrain : IGrainWithStringKey
{
    /// <summary>
    /// Creates a deployment of an imported update, or returns it when the same one exists. Fails with 404 for an update
    /// not imported, 400 naming a field that is wrong, 409 for an existing deployment asked differently.
    /// </summary>
    Task<UpdateDeployment> PutDeploymentAsync(UpdateDeploymentSpec spec, CancellationToken cancellationToken = default);

    /// <summary>A deployment; fails with <see cref="DeviceFabricErrorCode.UpdateDeploymentNotFound"/>.</summary>
    Task<UpdateDeployment> GetDeploymentAsync(string deploymentId, CancellationToken cancellationToken = default);

    /// <summary>The group's deployments, newest first.</summary>
    Task<IReadOnlyList<UpdateDeployment>> ListDeploymentsAsync(CancellationToken cancellationToken = default);

    /// <summary>Deletes a deployment (and its rollback); devices lose its desired properties if it was active.</summary>
    Task DeleteDeploymentAsync(string deploymentId, CancellationToken cancellationToken = default);

    /// <summary>A deployment's status, counted at most a status interval ago.</summary>
    Task<UpdateDeploymentStatus> GetStatusAsync(string deploymentId, CancellationToken cancellationToken = default);

    /// <summary>The group's devices and what each is doing about a deployment, optionally of one class or state, by device id.</summary>
    Task<IReadOnlyList<UpdateDeviceStatus>> GetDeviceStatesAsync(
        string deploymentId, string? deviceClassId, UpdateDeviceState? state, CancellationToken cancellationToken = default);

    /// <summary>Cancels a deployment for the group, or for one device class: its devices get the cancel action. Final.</summary>
    Task<UpdateDeployment> CancelAsync(string deploymentId, string? deviceClassId, CancellationToken cancellationToken = default);

    /// <summary>Retries a deployment for the group or one device class: its devices get a new retry token, and failed ones run it again.</summary>
    Task<UpdateDeployment> RetryAsync(string deploymentId, string? deviceClassId, CancellationToken cancellationToken = default);
}

/// <summary>A hub's Device Update groups and device classes, as the devices' agents and tags make them. Key: the hub name.</summary>
[Alias("devicefabric.IDeviceUpdateGrain")]
public interface IDeviceUpdateGrain : IGrainWithStringKey
{
    /// <summary>Every group with a device in it or a deployment, by id.</summary>
    Task<IReadOnlyList<UpdateGroup>> ListGroupsAsync(CancellationToken cancellationToken = default);

    /// <summary>One group; fails with <see cref="DeviceFabricErrorCode.UpdateGroupNotFound"/> when no device or deployment has it.</summary>
    Task<UpdateGroup> GetGroupAsync(string groupId, CancellationToken cancellationToken = default);

    /// <summary>Every device class of the hub, by id.</summary>
    Task<IReadOnlyList<UpdateDeviceClass>> ListDeviceClassesAsync(CancellationToken cancellationToken = default);
}

/// <summary>Group keys and ids.</summary>
public static class UpdateGroups
{
    /// <summary>The tag that puts a device in a group.</summary>
    public const string Tag = "ADUGroup";

    /// <summary>How a default group's id starts: <c>Default-{deviceClassId}</c>.</summary>
    public const string DefaultPrefix = "Default-";

    /// <summary>The most characters of a group id.</summary>
    public const int MaxIdLength = 128;

    /// <summary>The key of a group's grain.</summary>
    public static string Key(string hub, string groupId) => $"{hub}/{groupId}";

    /// <summary>The hub and group of a group grain's key.</summary>
    public static (string Hub, string GroupId) Parse(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return (key[..slash], key[(slash + 1)..]);
    }

    /// <summary>Whether a group id is usable: 1-128 printable characters without a slash.</summary>
    public static bool IsValidId(string? groupId) =>
        !string.IsNullOrEmpty(groupId) && groupId.Length <= MaxIdLength && !groupId.Any(c => char.IsControl(c) || c is '/');
}
