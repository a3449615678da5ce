namespace DeviceFabric.Transfers;

/// <summary>Where imports read and exports write (<c>DeviceFabric:Transfers</c>).</summary>
public sealed class TransferOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "DeviceFabric:Transfers";

    /// <summary>
    /// The only directory transfer jobs touch: every folder a job names resolves inside it, so a service caller cannot
    /// make the node read or write anything else. Default: <c>transfers</c> in the node's data directory.
    /// </summary>
    public string Directory { get; set; } = string.Empty;
}
