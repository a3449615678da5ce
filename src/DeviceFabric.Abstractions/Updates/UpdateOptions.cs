namespace DeviceFabric.Updates;

/// <summary>Where imported updates' files are kept (<c>DeviceFabric:Updates</c>).</summary>
public sealed class UpdateOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "DeviceFabric:Updates";

    /// <summary>
    /// The directory of update files, one per content (named by its SHA-256, so two updates sharing a file store it
    /// once). Default: <c>updates</c> in the node's data directory. A cluster's silos must share it.
    /// </summary>
    public string Directory { get; set; } = string.Empty;

    /// <summary>The most updates a hub keeps.</summary>
    public const int MaxUpdates = 500;
}
