using System.Text.Json.Nodes;

namespace DeviceFabric.Updates;

/// <summary>
/// What a device's twin says of its Device Update agent (<c>properties.reported.deviceUpdate.agent</c>) and its group
/// (<c>tags.ADUGroup</c>). A device without <c>deviceProperties</c> has no agent and is in no group.
/// </summary>
internal sealed record AgentView(
    string DeviceId,
    string GroupId,
    bool Tagged,
    IReadOnlyDictionary<string, string> CompatProperties,
    string DeviceClassId,
    int? State,
    string? WorkflowId,
    int? WorkflowAction,
    int? ResultCode,
    string? ExtendedResultCodes,
    string? InstalledUpdateId,
    bool Connected,
    string? StepResults)
{
    /// <summary>The agent's states and result codes the fabric reads (Device Update's <c>adu_core.h</c>).</summary>
    public const int Idle = 0, DeploymentInProgress = 6, Failed = 255, CancelAction = 255;

    /// <summary>Apply succeeded, install skipped as installed, download skipped as installed: the update is on the device.</summary>
    private static readonly HashSet<int> s_success = [700, 603, 503];

    private const int CancelSuccess = 800;

    /// <summary>Names the agent compares when it does not say (Device Update's default).</summary>
    private const string DefaultCompatNames = "manufacturer,model";

    public static AgentView? Of(string deviceId, JsonObject document)
    {
        var agent = document["properties"]?["reported"]?["deviceUpdate"]?["agent"] as JsonObject;
        if (agent?["deviceProperties"] is not JsonObject deviceProperties)
        {
            return null;
        }

        var names = Text(agent["compatPropertyNames"]) ?? DefaultCompatNames;
        var compat = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in names.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Take(5))
        {
            // Kept as the agent spells it, so a condition on the twin finds it; the class id ignores the case.
            var property = deviceProperties.FirstOrDefault(p => p.Key.Equals(name, StringComparison.OrdinalIgnoreCase));
            if (Text(property.Value) is { } text)
            {
                compat[property.Key] = text;
            }
        }

        var classId = DeviceClasses.IdOf(compat);
        var tag = Text(document["tags"]?[UpdateGroups.Tag]);
        var tagged = UpdateGroups.IsValidId(tag);
        var workflow = agent["workflow"] as JsonObject;
        var result = agent["lastInstallResult"] as JsonObject;
        return new AgentView(
            deviceId,
            tagged ? tag! : UpdateGroups.DefaultPrefix + classId,
            tagged,
            compat,
            classId,
            Number(agent["state"]),
            Text(workflow?["id"]),
            Number(workflow?["action"]),
            Number(result?["resultCode"]),
            Text(result?["extendedResultCodes"]) ?? Number(result?["extendedResultCode"])?.ToString("X8", System.Globalization.CultureInfo.InvariantCulture),
            Text(agent["installedUpdateId"]),
            Text(document["connectionState"]) == "Connected",
            result?["stepResults"] is JsonObject steps ? steps.ToJsonString() : null);
    }

    /// <summary>What the device is doing about the deployment <paramref name="target"/> names (released or not is the caller's).</summary>
    public UpdateDeviceState StateFor(UpdateTarget target)
    {
        if (!DeviceClasses.Admits(target.Compatibility, CompatProperties))
        {
            return UpdateDeviceState.Incompatible;
        }

        if (WorkflowId is not null && WorkflowId == target.RollbackWorkflowId)
        {
            return UpdateDeviceState.Failed;
        }

        var canceled = target.Canceled || target.CanceledDeviceClasses.Contains(DeviceClassId);
        if (WorkflowId != target.WorkflowId)
        {
            return canceled ? UpdateDeviceState.Canceled : UpdateDeviceState.NotStarted;
        }

        if (WorkflowAction == CancelAction || (State == Idle && ResultCode == CancelSuccess))
        {
            return UpdateDeviceState.Canceled;
        }

        return State switch
        {
            DeploymentInProgress => UpdateDeviceState.InProgress,
            Failed => UpdateDeviceState.Failed,
            Idle when ResultCode is { } code && s_success.Contains(code) && Installed(target.Update) => UpdateDeviceState.Succeeded,

            // Idle with another result (a reboot or restart pending, 605-608, 705-708) is not an outcome yet: only
            // state 255 is a failure, as Device Update counts it.
            Idle => UpdateDeviceState.InProgress,
            _ => UpdateDeviceState.InProgress,
        };
    }

    private bool Installed(UpdateId update) => UpdateId.TryParse(InstalledUpdateId, out var installed)
        && installed.Provider == update.Provider && installed.Name == update.Name && installed.Version == update.Version;

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static int? Number(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<double>(out var number) && number == Math.Floor(number) && number is >= int.MinValue and <= int.MaxValue
            ? (int)number
            : null;
}
