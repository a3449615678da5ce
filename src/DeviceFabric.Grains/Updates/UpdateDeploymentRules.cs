using System.Text.RegularExpressions;

namespace DeviceFabric.Updates;

/// <summary>What a deployment must be; every refusal names the field.</summary>
internal static partial class UpdateDeploymentRules
{
    public const int MaxWaves = 20;
    private const int MaxWaveDevices = 10_000_000;
    private static readonly TimeSpan s_maxWait = TimeSpan.FromDays(7);
    private static readonly TimeSpan s_maxWindow = TimeSpan.FromDays(7);

    public static void Validate(UpdateDeploymentSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.DeploymentId is null || !DeploymentIdPattern().IsMatch(spec.DeploymentId))
        {
            throw Invalid("deploymentId must be 1-64 letters, digits, dots, hyphens or underscores.");
        }

        if (!UpdateGroups.IsValidId(spec.GroupId))
        {
            throw Invalid($"groupId must be 1-{UpdateGroups.MaxIdLength} characters without a slash.");
        }

        if (spec.Update is null)
        {
            throw Invalid("update.updateId is required.");
        }

        if (spec.RollbackPolicy is { } policy)
        {
            if (policy.Update is null)
            {
                throw Invalid("rollbackPolicy.update.updateId is required.");
            }

            if (policy.DevicesFailedPercentage is < 1 or > 100)
            {
                throw Invalid("rollbackPolicy.failure.devicesFailedPercentage must be 1-100.");
            }

            if (policy.DevicesFailedCount < 1)
            {
                throw Invalid("rollbackPolicy.failure.devicesFailedCount must be at least 1.");
            }
        }

        if (spec.Rollout is { } rollout)
        {
            ValidateRollout(rollout);
        }

        if (spec.HealthCheck is { } health)
        {
            if (health.Window <= TimeSpan.Zero || health.Window > s_maxWindow)
            {
                throw Invalid("healthCheck.windowInSeconds must be 1 to 604800.");
            }

            try
            {
                // Checked as the shards run it, with the connection required.
                _ = Query.QueryParser.ParseCondition(health.Condition) ?? throw Invalid("healthCheck.condition is required.");
                _ = Query.QueryParser.ParseCondition(HealthCondition(health));
            }
            catch (DeviceFabricException ex) when (ex.Code == DeviceFabricErrorCode.ArgumentInvalid)
            {
                throw Invalid($"healthCheck.condition: {ex.Message}");
            }
        }
    }

    /// <summary>The condition a device that reported success must meet: connected, and the operator's.</summary>
    public static string HealthCondition(UpdateHealthCheck check) => $"connectionState = 'Connected' AND ({check.Condition})";

    private static void ValidateRollout(UpdateRollout rollout)
    {
        if (rollout.Waves is not { Count: > 0 and <= MaxWaves })
        {
            throw Invalid($"rollout.waves must hold 1-{MaxWaves} waves.");
        }

        var percent = 0;
        for (var i = 0; i < rollout.Waves.Count; i++)
        {
            var wave = rollout.Waves[i];
            if ((wave.DeviceCount is null) == (wave.Percentage is null))
            {
                throw Invalid($"rollout.waves[{i}] must give exactly one of deviceCount and percentage.");
            }

            if (wave.DeviceCount is < 1 or > MaxWaveDevices || wave.Percentage is < 1 or > 100)
            {
                throw Invalid($"rollout.waves[{i}]: deviceCount must be 1-{MaxWaveDevices}, percentage 1-100.");
            }

            percent += wave.Percentage ?? 0;
        }

        if (percent > 100)
        {
            throw Invalid("rollout.waves: the percentages add up to more than 100.");
        }

        if (rollout.WaitBetweenWaves < TimeSpan.Zero || rollout.WaitBetweenWaves > s_maxWait)
        {
            throw Invalid("rollout.waitBetweenWavesInSeconds must be 0 to 604800.");
        }

        if (rollout.MaxFailedPercentage is < 1 or > 100)
        {
            throw Invalid("rollout.maxFailedPercentage must be 1-100.");
        }
    }

    private static DeviceFabricException Invalid(string message) => new(DeviceFabricErrorCode.ArgumentInvalid, message);

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex DeploymentIdPattern();
}
