namespace DeviceFabric.Provisioning;

/// <summary>What a device that registers again gets when its enrollment now allocates it elsewhere.</summary>
/// <param name="UpdateHubAssignment">Move it to the hub its enrollment now allocates (else it stays where it is).</param>
/// <param name="MigrateDeviceData">Take its twin along when it moves (else it starts from the enrollment's initial twin).</param>
[GenerateSerializer, Immutable, Alias("devicefabric.ReprovisionPolicy")]
public sealed record ReprovisionPolicy(
    [property: Id(0)] bool UpdateHubAssignment = true,
    [property: Id(1)] bool MigrateDeviceData = true);
