namespace DeviceFabric.Twins;

/// <summary>What a twin grain stores: each section as JSON text with its metadata and version. Ids are append only.</summary>
[GenerateSerializer, Alias("devicefabric.TwinState")]
public sealed class TwinState
{
    /// <summary>The device generation the twin belongs to; a re-created device starts with a fresh twin.</summary>
    [Id(0)] public string? GenerationId { get; set; }

    [Id(1)] public long Version { get; set; } = 1;

    [Id(2)] public string Tags { get; set; } = "{}";

    [Id(3)] public string TagsMetadata { get; set; } = "{}";

    [Id(4)] public long TagsVersion { get; set; } = 1;

    [Id(5)] public string Desired { get; set; } = "{}";

    [Id(6)] public string DesiredMetadata { get; set; } = "{}";

    [Id(7)] public long DesiredVersion { get; set; } = 1;

    [Id(8)] public string Reported { get; set; } = "{}";

    [Id(9)] public string ReportedMetadata { get; set; } = "{}";

    [Id(10)] public long ReportedVersion { get; set; } = 1;

    /// <summary>Top-level desired properties removed, with the desired version that removed them (for delta reads).</summary>
    [Id(11)] public Dictionary<string, long> DesiredRemovedAt { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Removals before this desired version may have been forgotten; an older delta read gets the whole section.</summary>
    [Id(12)] public long DesiredRemovedFloor { get; set; }

    /// <summary>The last job that patched this twin, so a resumed job never applies its patch twice.</summary>
    [Id(13)] public string? LastJobId { get; set; }

    /// <summary>What the last job's patch replaced, as a patch that restores it (for rollback).</summary>
    [Id(14)] public string? LastJobPrevious { get; set; }

    /// <summary>Each configuration targeting the twin and its status (<c>Applied</c>, <c>Targeted</c>), shown as <c>configurations</c>.</summary>
    [Id(15)] public Dictionary<string, string> ConfigurationStatus { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Each twin path a configuration wrote, and which one: a path no configuration offers any more is removed.</summary>
    [Id(16)] public Dictionary<string, string> ConfiguredPaths { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The IoT Edge deployments targeting the twin's edge device, highest priority first: a device twin's own finding,
    /// or what a module twin's device last told it.
    /// </summary>
    [Id(17)] public List<string> Deployments { get; set; } = [];

    /// <summary>Whether a module twin has heard its device's deployments at least once (else it asks).</summary>
    [Id(18)] public bool DeploymentsKnown { get; set; }
}
