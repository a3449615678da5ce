namespace DeviceFabric.Tests.Interop;

/// <summary>Tests that serve on port 443 run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class Port443Collection
{
    public const string Name = "port 443";
}
