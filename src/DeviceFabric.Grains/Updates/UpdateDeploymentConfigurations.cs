using System.Text.Json.Nodes;
using DeviceFabric.Configurations;

namespace DeviceFabric.Updates;

/// <summary>
/// How a group's deployments reach the twins: as Device Update does it, one configuration per device class, whose
/// content is the desired <c>deviceUpdate</c> component (workflow, update manifest, signature, file URLs). Each is for
/// its group and class as the agent's report reads (a <see cref="DeviceUpdateSelector"/>, the same reading that counts
/// devices, so a device is targeted exactly when it is counted). The waves are the configurations' rollout; a cancel
/// is the same content with action 255; once rolled back, a deployment stays only with the devices on its workflow,
/// and its rollback is a higher-priority configuration for the devices that failed it (agent state 255, or a failed
/// health check) and those already on the rollback, so a device never falls back while it moves.
/// </summary>
internal static class UpdateDeploymentConfigurations
{
    public const int Priority = 1_000_000;
    private const int MaxHealthFailedNamed = 10_000;

    public static string Owner(string groupId) => "ADU/" + groupId;

    public static List<OwnedConfiguration> For(string groupId, UpdateGroupState state)
    {
        var configurations = new List<OwnedConfiguration>();
        if (state.ActiveId is null || !state.Deployments.TryGetValue(state.ActiveId, out var active)
            || active.Deployment.State is UpdateDeploymentState.NotStarted or UpdateDeploymentState.Inactive)
        {
            return configurations;
        }

        var deployment = active.Deployment;
        var rollout = deployment.Spec.Rollout is null ? null : new ConfigurationRollout(deployment.WorkflowId, active.Below);
        var only = deployment.State == UpdateDeploymentState.RolledBack ? deployment.WorkflowId : null;
        foreach (var classId in active.Classes.Keys.Order(StringComparer.Ordinal))
        {
            var canceled = deployment.IsCanceled || deployment.CanceledDeviceClasses.Contains(classId);
            configurations.Add(new OwnedConfiguration(
                $"{Owner(groupId)}/{deployment.Spec.DeploymentId}/{classId}",
                "*",
                Priority,
                Content(active, canceled, active.RetryByClass.TryGetValue(classId, out var retry) ? retry : null),
                rollout,
                new DeviceUpdateSelector(groupId, classId, only, null, null, [])));
        }

        if (deployment.RollbackDeploymentId is { } rollbackId && state.Deployments.TryGetValue(rollbackId, out var rollback))
        {
            configurations.AddRange(RollbackFor(groupId, active, rollback));
        }

        return configurations;
    }

    private static IEnumerable<OwnedConfiguration> RollbackFor(string groupId, UpdateDeploymentRecord failing, UpdateDeploymentRecord rollback)
    {
        foreach (var (classId, properties) in failing.Classes.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            if (!DeviceClasses.Admits(rollback.Compatibility, properties))
            {
                continue;
            }

            var unhealthy = failing.HealthFailed.Where(h => h.Value == classId).Select(h => h.Key).Order(StringComparer.Ordinal).Take(MaxHealthFailedNamed).ToList();
            var canceled = rollback.Deployment.IsCanceled || rollback.Deployment.CanceledDeviceClasses.Contains(classId);
            yield return new OwnedConfiguration(
                $"{Owner(groupId)}/{rollback.Deployment.Spec.DeploymentId}/{classId}",
                "*",
                Priority + 1,
                Content(rollback, canceled, rollback.RetryByClass.TryGetValue(classId, out var retry) ? retry : null),
                Rollout: null,
                new DeviceUpdateSelector(groupId, classId, null, failing.Deployment.WorkflowId, rollback.Deployment.WorkflowId, unhealthy));
        }
    }

    /// <summary>The desired component: <c>{"__t":"c","service":{"workflow":{...},"updateManifest":...,...}}</c>.</summary>
    private static Dictionary<string, string> Content(UpdateDeploymentRecord record, bool canceled, DateTimeOffset? retry)
    {
        var service = JsonNode.Parse(record.DeliveryJson)!.AsObject();
        var workflow = new JsonObject { ["action"] = canceled ? AgentView.CancelAction : 3, ["id"] = record.Deployment.WorkflowId };
        if (retry is { } token)
        {
            workflow["retryTimestamp"] = token.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);
        }

        var ordered = new JsonObject { ["workflow"] = workflow };
        foreach (var (name, value) in service)
        {
            ordered[name] = value?.DeepClone();
        }

        var component = new JsonObject { ["__t"] = "c", ["service"] = ordered };
        return new Dictionary<string, string>(StringComparer.Ordinal) { ["properties.desired.deviceUpdate"] = component.ToJsonString() };
    }

    /// <summary>The service object without its workflow, kept with the deployment: the same URLs for its whole life.</summary>
    public static string Delivery(UpdateDelivery delivery, IReadOnlyDictionary<string, string> fileUrls) => new JsonObject
    {
        ["updateManifest"] = delivery.UpdateManifest,
        ["updateManifestSignature"] = delivery.UpdateManifestSignature,
        ["fileUrls"] = new JsonObject(fileUrls.Select(f => KeyValuePair.Create<string, JsonNode?>(f.Key, f.Value))),
    }.ToJsonString();
}
