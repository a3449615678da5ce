namespace DeviceFabric.Security;

/// <summary>What a caller sets on a hub policy; keys left empty are generated (new policy) or kept (existing one).</summary>
/// <param name="KeyName">The policy name: 1-64 letters, digits, <c>-</c>, <c>_</c> or <c>.</c>.</param>
/// <param name="Rights">What its tokens may do; at least one right.</param>
/// <param name="PrimaryKey">Base64 key of 16-64 bytes, or null.</param>
/// <param name="SecondaryKey">Base64 key of 16-64 bytes, or null.</param>
[GenerateSerializer, Immutable, Alias("devicefabric.PolicySettings")]
public sealed record PolicySettings(
    [property: Id(0)] string KeyName,
    [property: Id(1)] AccessRights Rights,
    [property: Id(2)] string? PrimaryKey = null,
    [property: Id(3)] string? SecondaryKey = null);
