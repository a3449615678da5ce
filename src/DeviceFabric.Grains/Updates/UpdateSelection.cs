using System.Text.Json.Nodes;
using DeviceFabric.Configurations;

namespace DeviceFabric.Updates;

/// <summary>Whether a twin document is one a <see cref="DeviceUpdateSelector"/> selects, read as the shards count it (<see cref="AgentView"/>).</summary>
internal static class UpdateSelection
{
    public static bool Matches(DeviceUpdateSelector selector, JsonObject document)
    {
        if (document["deviceId"]?.GetValue<string>() is not { } deviceId || AgentView.Of(deviceId, document) is not { } agent
            || agent.GroupId != selector.GroupId || agent.DeviceClassId != selector.DeviceClassId)
        {
            return false;
        }

        if (selector.OnlyWorkflowId is { } only && agent.WorkflowId != only)
        {
            return false;
        }

        return selector.FailedWorkflowId is not { } failed
            || (agent.WorkflowId == failed && agent.State == AgentView.Failed)
            || agent.WorkflowId == selector.RollbackWorkflowId
            || selector.Devices.Contains(deviceId, StringComparer.Ordinal);
    }
}
