namespace DeviceFabric.Contracts.Provisioning;

/// <summary>The symmetric-key part of a registration record: the group it came through.</summary>
public sealed class SymmetricKeyRegistrationJson
{
    /// <summary>The enrollment group id.</summary>
    public string? EnrollmentGroupId { get; set; }
}
