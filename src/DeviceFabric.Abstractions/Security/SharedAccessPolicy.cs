namespace DeviceFabric.Security;

/// <summary>A hub shared access policy: a name, its rights and two keys.</summary>
/// <param name="KeyName">The policy name, sent as <c>skn</c> in tokens (<c>iothubowner</c>, <c>service</c>...).</param>
/// <param name="Rights">What a token signed with the policy's keys may do.</param>
/// <param name="PrimaryKey">Base64 key.</param>
/// <param name="SecondaryKey">Base64 key, for rotation.</param>
[GenerateSerializer, Immutable, Alias("devicefabric.SharedAccessPolicy")]
public sealed record SharedAccessPolicy(
    [property: Id(0)] string KeyName,
    [property: Id(1)] AccessRights Rights,
    [property: Id(2)] string PrimaryKey,
    [property: Id(3)] string SecondaryKey)
{
    /// <summary>The policies every hub starts with, as IoT Hub's defaults.</summary>
    public static IReadOnlyList<(string KeyName, AccessRights Rights)> Defaults { get; } =
    [
        ("iothubowner", AccessRights.All),
        ("service", AccessRights.ServiceConnect),
        ("device", AccessRights.DeviceConnect),
        ("registryRead", AccessRights.RegistryRead),
        ("registryReadWrite", AccessRights.RegistryRead | AccessRights.RegistryWrite),
    ];
}
