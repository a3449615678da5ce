namespace DeviceFabric.Provisioning;

/// <summary>An individual enrollment (one registration id) or an enrollment group (every device its attestation proves).</summary>
public enum EnrollmentKind
{
    /// <summary>One device, by registration id.</summary>
    Individual,

    /// <summary>Many devices sharing a group key or CA.</summary>
    Group,
}
