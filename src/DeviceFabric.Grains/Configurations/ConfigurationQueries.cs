namespace DeviceFabric.Configurations;

/// <summary>
/// The queries behind a configuration's system counts, as IoT Hub shows them: targeted and applied twins, and for an
/// IoT Edge deployment the edge agents reporting success or failure (Microsoft's own status queries, which compare the
/// desired version with the one the agent last applied).
/// </summary>
internal static class ConfigurationQueries
{
    public const string Targeted = "targetedCount";
    public const string Applied = "appliedCount";
    public const string ReportedSuccessful = "reportedSuccessfulCount";
    public const string ReportedFailed = "reportedFailedCount";

    public static IReadOnlyDictionary<string, string> For(string id, ConfigurationKind kind, string targetCondition)
    {
        var condition = targetCondition.Trim();
        var everything = condition == "*";
        switch (kind)
        {
            case ConfigurationKind.Module:
                var where = condition[ConfigurationRules.ModulesConditionPrefix.Length..];
                return new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    [Targeted] = $"SELECT deviceId, moduleId FROM devices.modules WHERE {where}",
                    [Applied] = $"SELECT deviceId, moduleId FROM devices.modules WHERE configurations.[[{id}]].status = 'Applied'",
                };
            case ConfigurationKind.EdgeDeployment:
                var applied = $"SELECT deviceId FROM devices.modules WHERE moduleId = '$edgeAgent' AND configurations.[[{id}]].status = 'Applied'";
                var reported = " AND properties.desired.$version = properties.reported.lastDesiredVersion AND properties.reported.lastDesiredStatus.code";
                return new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    [Targeted] = everything
                        ? "SELECT deviceId FROM devices WHERE capabilities.iotEdge = true"
                        : $"SELECT deviceId FROM devices WHERE capabilities.iotEdge = true AND ({condition})",
                    [Applied] = applied,
                    [ReportedSuccessful] = applied + reported + " = 200",
                    [ReportedFailed] = applied + reported + " != 200",
                };
            default:
                return new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    [Targeted] = everything ? "SELECT deviceId FROM devices" : $"SELECT deviceId FROM devices WHERE {condition}",
                    [Applied] = $"SELECT deviceId FROM devices WHERE configurations.[[{id}]].status = 'Applied'",
                };
        }
    }
}
