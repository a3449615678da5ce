namespace DeviceFabric.Configurations;

/// <summary>
/// A twin's configuration bookkeeping as one reconciliation leaves it: set on the twin's state only with the write that
/// stores it, so a failed write leaves the previous bookkeeping beside the previous content.
/// </summary>
/// <param name="Statuses">Each configuration targeting the twin and its status.</param>
/// <param name="Owners">Each configured path and the configuration that wrote it.</param>
/// <param name="Deployments">The IoT Edge deployments targeting the twin's device.</param>
/// <param name="DeploymentsKnown">Whether a module twin has heard them.</param>
internal sealed record ConfigurationMarks(
    Dictionary<string, string> Statuses,
    Dictionary<string, string> Owners,
    List<string> Deployments,
    bool DeploymentsKnown);
