namespace DeviceFabric.Provisioning;

/// <summary>An enrollment's stored state.</summary>
[GenerateSerializer, Alias("devicefabric.EnrollmentState")]
public sealed class EnrollmentState
{
    [Id(0)]
    public Enrollment? Enrollment { get; set; }
}
