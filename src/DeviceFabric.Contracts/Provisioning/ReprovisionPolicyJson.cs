namespace DeviceFabric.Contracts.Provisioning;

/// <summary>What registering again does: move to the newly allocated hub, and take the twin along.</summary>
public sealed class ReprovisionPolicyJson
{
    /// <summary>Move to the hub the enrollment now allocates (default true).</summary>
    public bool UpdateHubAssignment { get; set; } = true;

    /// <summary>Take the twin along when moving (default true); false starts from the initial twin.</summary>
    public bool MigrateDeviceData { get; set; } = true;
}
