namespace DeviceFabric.Provisioning;

/// <summary>A provisioning service shared access policy: a name, its rights and two keys.</summary>
/// <param name="KeyName">The policy name, sent as <c>skn</c> in tokens.</param>
/// <param name="Rights">What a token signed with the policy's keys may do.</param>
/// <param name="PrimaryKey">Base64 key.</param>
/// <param name="SecondaryKey">Base64 key, for rotation.</param>
[GenerateSerializer, Immutable, Alias("devicefabric.ProvisioningPolicy")]
public sealed record ProvisioningPolicy(
    [property: Id(0)] string KeyName,
    [property: Id(1)] ProvisioningRights Rights,
    [property: Id(2)] string PrimaryKey,
    [property: Id(3)] string SecondaryKey)
{
    /// <summary>The owner policy, with every right.</summary>
    public const string Owner = "provisioningserviceowner";

    /// <summary>The policies a provisioning service starts with: DPS's owner, a read-only one and one for registration records.</summary>
    public static IReadOnlyList<(string KeyName, ProvisioningRights Rights)> Defaults { get; } =
    [
        (Owner, ProvisioningRights.All),
        ("enrollmentread", ProvisioningRights.EnrollmentRead | ProvisioningRights.RegistrationStatusRead),
        ("registrationstatus", ProvisioningRights.RegistrationStatusRead | ProvisioningRights.RegistrationStatusWrite),
    ];
}
