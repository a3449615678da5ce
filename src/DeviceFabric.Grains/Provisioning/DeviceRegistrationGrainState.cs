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
}
