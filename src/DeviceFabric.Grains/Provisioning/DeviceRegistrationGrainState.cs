namespace DeviceFabric.Provisioning;

/// <summary>A registration id's stored state: its record and the id of its latest operation.</summary>
[GenerateSerializer, Alias("devicefabric.DeviceRegistrationGrainState")]
public sealed class DeviceRegistrationGrainState
{
    [Id(0)]
    public DeviceRegistrationState? Record { get; set; }

    [Id(1)]
    public string? OperationId { get; set; }

    [Id(2)]
    public long Version { get; set; }

    /// <summary>An operator moved the device (a migration job): registering again keeps it in the hub it was moved to.</summary>
    [Id(3)]
    public bool MovedByOperator { get; set; }
}
