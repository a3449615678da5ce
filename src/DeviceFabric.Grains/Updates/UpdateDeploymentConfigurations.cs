using System.Text;
using System.Text.Json.Nodes;
using DeviceFabric.Configurations;

namespace DeviceFabric.Updates;

/// <summary>
/// How a group's deployments reach the twins: as Device Update does it, one configuration per device class, whose
/// content is the desired <c>deviceUpdate</c> component (workflow, update manifest, signature, file URLs) and whose
/// condition is the group tag and the class's compatibility properties as the agent reports them. The waves are the
/// configurations' rollout; a cancel is the same content with action 255; a rollback is a higher-priority
/// configuration for the devices that failed (agent state 255 on the deployment's workflow, or a failed health check)
/// and those already on it, so a device never falls back while it moves.
/// </summary>
internal static class UpdateDeploymentConfigurations
{
    public const int Priority = 1_000_000;
    private const int MaxHealthFailedNamed = 1000;
    private const string Agent = "properties.reported.deviceUpdate.agent";

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
        foreach (var (classId, properties) in active.Classes.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            if (ClassCondition(properties) is not { } classCondition)
            {
                continue;
            }

            var canceled = deployment.IsCanceled || deployment.CanceledDeviceClasses.Contains(classId);
            configurations.Add(new OwnedConfiguration(
                $"{Owner(groupId)}/{deployment.Spec.DeploymentId}/{classId}",
                $"{GroupCondition(groupId)} AND {classCondition}",
                Priority,
                Content(active, canceled, active.RetryByClass.TryGetValue(classId, out var retry) ? retry : null),
                rollout));
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
            if (!DeviceClasses.Admits(rollback.Compatibility, properties) || ClassCondition(properties) is not { } classCondition)
            {
                continue;
            }

            var failed = $"({Agent}.workflow.id = {Literal(failing.Deployment.WorkflowId)} AND {Agent}.state = 255)";
            var moved = $"{Agent}.workflow.id = {Literal(rollback.Deployment.WorkflowId)}";
            var unhealthy = failing.HealthFailed.Where(h => h.Value == classId).Select(h => h.Key).Order(StringComparer.Ordinal).Take(MaxHealthFailedNamed).ToList();
            var named = unhealthy.Count == 0 ? string.Empty : $" OR deviceId IN [{string.Join(", ", unhealthy.Select(Literal))}]";
            var canceled = rollback.Deployment.IsCanceled || rollback.Deployment.CanceledDeviceClasses.Contains(classId);
            yield return new OwnedConfiguration(
                $"{Owner(groupId)}/{rollback.Deployment.Spec.DeploymentId}/{classId}",
                $"{GroupCondition(groupId)} AND {classCondition} AND ({failed} OR {moved}{named})",
                Priority + 1,
                Content(rollback, canceled, rollback.RetryByClass.TryGetValue(classId, out var retry) ? retry : null),
                Rollout: null);
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

    private static string GroupCondition(string groupId) => groupId.StartsWith(UpdateGroups.DefaultPrefix, StringComparison.Ordinal)
        ? $"NOT IS_DEFINED(tags.{UpdateGroups.Tag})"
        : $"tags.{UpdateGroups.Tag} = {Literal(groupId)}";

    /// <summary>The class's properties as conditions on the agent's report; null when a name cannot be written as a path.</summary>
    private static string? ClassCondition(IReadOnlyDictionary<string, string> properties)
    {
        if (properties.Count == 0 || properties.Keys.Any(name => !IsPathName(name)))
        {
            return null;
        }

        return "(" + string.Join(" AND ", properties.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => $"{Agent}.deviceProperties.{p.Key} = {Literal(p.Value)}")) + ")";
    }

    private static bool IsPathName(string name) =>
        name.Length is > 0 and <= 32 && (char.IsAsciiLetter(name[0]) || name[0] == '_') && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    private static string Literal(string value)
    {
        var text = new StringBuilder("'");
        foreach (var c in value)
        {
            text.Append(c is '\'' or '\\' ? "\\" + c : c.ToString());
        }

        return text.Append('\'').ToString();
    }
}
