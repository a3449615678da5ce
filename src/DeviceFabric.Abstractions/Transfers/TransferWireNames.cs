namespace DeviceFabric.Transfers;

/// <summary>IoT Hub's names for transfer job types and statuses.</summary>
public static class TransferWireNames
{
    /// <summary>The wire name of a type.</summary>
    public static string Type(TransferType type) => type switch
    {
        TransferType.Import => "import",
        TransferType.Export => "export",
        _ => "migrate",
    };

    /// <summary>The type a wire name means (any case); null for names that are not a transfer's.</summary>
    public static TransferType? ParseType(string? name) => name?.ToUpperInvariant() switch
    {
        "IMPORT" or "IMPORTDEVICES" => TransferType.Import,
        "EXPORT" or "EXPORTDEVICES" => TransferType.Export,
        "MIGRATE" => TransferType.Migrate,
        _ => null,
    };

    /// <summary>The wire name of a status.</summary>
    public static string Status(TransferStatus status) => status switch
    {
        TransferStatus.Enqueued => "enqueued",
        TransferStatus.Running => "running",
        TransferStatus.Completed => "completed",
        TransferStatus.Failed => "failed",
        _ => "cancelled",
    };
}
