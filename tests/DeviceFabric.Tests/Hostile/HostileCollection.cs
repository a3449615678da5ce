namespace DeviceFabric.Tests.Hostile;

/// <summary>The probes share one silo process and run one after another, so each sees the node's CPU to itself.</summary>
[CollectionDefinition(Name)]
public sealed class HostileCollection : ICollectionFixture<HostileNodeFixture>
{
    public const string Name = "hostile";
}
