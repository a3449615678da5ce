namespace DeviceFabric.Tests.Observability;

/// <summary>
/// Tests that read exact metric totals run alone: OpenTelemetry listens to meters by name across the whole process, so
/// another test's node, running at the same time, would add its traffic to the totals.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ExactMetricsCollection
{
    public const string Name = "exact metrics";
}
