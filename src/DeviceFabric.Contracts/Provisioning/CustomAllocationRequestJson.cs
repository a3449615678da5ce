namespace DeviceFabric.Contracts.Provisioning;

/// <summary>What a custom allocation webhook is sent (DPS's shape): the enrollment (keys left out), the device, the hubs it may pick.</summary>
public sealed class CustomAllocationRequestJson
{
    /// <summary>The individual enrollment, when the device has one.</summary>
    public IndividualEnrollmentJson? IndividualEnrollment { get; set; }

    /// <summary>The enrollment group, when the device came through one.</summary>
    public EnrollmentGroupJson? EnrollmentGroup { get; set; }

    /// <summary>The registering device.</summary>
    public DeviceRuntimeContextJson? DeviceRuntimeContext { get; set; }

    /// <summary>Host names of the hubs the webhook may pick.</summary>
    public List<string> LinkedHubs { get; set; } = [];
}
