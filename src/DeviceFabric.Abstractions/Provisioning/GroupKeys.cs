namespace DeviceFabric.Provisioning;

/// <summary>An enabled symmetric-key enrollment group's id and keys.</summary>
[GenerateSerializer, Immutable, Alias("devicefabric.GroupKeys")]
public sealed record GroupKeys(
    [property: Id(0)] string GroupId,
    [property: Id(1)] string PrimaryKey,
    [property: Id(2)] string SecondaryKey);
