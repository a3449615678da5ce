namespace DeviceFabric.Provisioning;

/// <summary>An enrollment's stored state; a group's also lists the registrations made through it.</summary>
[GenerateSerializer, Alias("devicefabric.EnrollmentState")]
public sealed class EnrollmentState
{
    [Id(0)]
    public Enrollment? Enrollment { get; set; }

    [Id(1)]
    public SortedSet<string> Registrations { get; set; } = new(StringComparer.Ordinal);
}
