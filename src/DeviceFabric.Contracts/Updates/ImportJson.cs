namespace DeviceFabric.Contracts.Updates;

/// <summary>One item of Device Update's <c>updates:import</c> body: the import manifest's location and its files'.</summary>
public sealed class ImportUpdateInputItemJson
{
    /// <summary>Where the import manifest is, with its size and hash.</summary>
    public ImportManifestMetadataJson? ImportManifest { get; set; }

    /// <summary>A display name; kept by Device Update, ignored here.</summary>
    public string? FriendlyName { get; set; }

    /// <summary>Each file the manifest names, and where it is.</summary>
    public List<FileImportMetadataJson>? Files { get; set; }
}

/// <summary>The import manifest's location, size and hash.</summary>
public sealed class ImportManifestMetadataJson
{
    /// <summary>An http or https URL.</summary>
    public string? Url { get; set; }

    /// <summary>Its size.</summary>
    public long SizeInBytes { get; set; }

    /// <summary>Its hashes: <c>sha256</c>, base64.</summary>
    public Dictionary<string, string>? Hashes { get; set; }
}

/// <summary>A file's name and location.</summary>
public sealed class FileImportMetadataJson
{
    /// <summary>Its name in the manifest.</summary>
    public string? Filename { get; set; }

    /// <summary>An http or https URL.</summary>
    public string? Url { get; set; }
}

/// <summary>An import operation's status (<c>/deviceUpdate/{instanceId}/updates/operations/{operationId}</c>).</summary>
public sealed class ImportOperationJson
{
    /// <summary>The operation.</summary>
    public string? OperationId { get; set; }

    /// <summary><c>NotStarted</c>, <c>Running</c>, <c>Succeeded</c> or <c>Failed</c>.</summary>
    public string? Status { get; set; }

    /// <summary>The update, once known.</summary>
    public ImportedUpdateJson? Update { get; set; }

    /// <summary>Where the imported update is, once it is.</summary>
    public string? ResourceLocation { get; set; }

    /// <summary>Why it failed.</summary>
    public ImportErrorJson? Error { get; set; }

    /// <summary>When it started.</summary>
    public DateTime CreatedDateTime { get; set; }

    /// <summary>When its status last changed.</summary>
    public DateTime LastActionDateTime { get; set; }
}

/// <summary>The update an operation imported.</summary>
public sealed class ImportedUpdateJson
{
    /// <summary>Its identity.</summary>
    public UpdateIdJson? UpdateId { get; set; }
}

/// <summary>An operation's error.</summary>
public sealed class ImportErrorJson
{
    /// <summary>The error code.</summary>
    public string? Code { get; set; }

    /// <summary>What went wrong.</summary>
    public string? Message { get; set; }
}
