namespace DeviceFabric.Updates;

/// <summary>
/// Where a hub's update files live: <c>{directory}/{hub}/{sha256 hex}</c>, staged uploads in <c>staging</c> beside them.
/// The one home of the layout, for the REST API that stages and serves files and the catalog that keeps them.
/// </summary>
public static class UpdateFiles
{
    /// <summary>The directory of a hub's files.</summary>
    public static string HubDirectory(string directory, string hub) => Path.Combine(directory, hub);

    /// <summary>The directory a hub's uploads are staged in.</summary>
    public static string StagingDirectory(string directory, string hub) => Path.Combine(directory, hub, "staging");

    /// <summary>Where a file of a hub is stored.</summary>
    public static string PathOf(string directory, string hub, UpdateFile file) => Path.Combine(HubDirectory(directory, hub), file.ContentName);

    /// <summary>Where a staged file is, refusing a name that would leave the staging directory.</summary>
    public static string StagedPath(string directory, string hub, string stagingName) =>
        stagingName.Length > 0 && stagingName.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')
            ? Path.Combine(StagingDirectory(directory, hub), stagingName)
            : throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, "A staged file name holds only letters, digits and dashes.");
}
