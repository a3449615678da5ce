using System.ComponentModel.DataAnnotations;

namespace DeviceFabric.Storage;

/// <summary>The node's store and cluster membership.</summary>
public sealed class StorageOptions : IValidatableObject
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "DeviceFabric:Storage";

    /// <summary><c>Sqlite</c> (one node) or <c>PostgreSql</c> (a cluster). Default: <c>Sqlite</c>.</summary>
    public StorageMode Mode { get; set; } = StorageMode.Sqlite;

    /// <summary>The PostgreSQL connection string; ignored for SQLite, whose file lives in the data directory. Default: none.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Whether the node creates or completes the schema at start-up (the scripts are idempotent). Default: true.</summary>
    public bool CreateSchema { get; set; } = true;

    /// <summary>Orleans cluster id: silos with the same id and database form one cluster. Default: <c>devicefabric</c>.</summary>
    [Required(AllowEmptyStrings = false)]
    public string ClusterId { get; set; } = "devicefabric";

    /// <summary>Orleans service id; it namespaces stored state, so never change it once data exists. Default: <c>devicefabric</c>.</summary>
    [Required(AllowEmptyStrings = false)]
    public string ServiceId { get; set; } = "devicefabric";

    /// <summary>Silo-to-silo port. Default: 11111.</summary>
    [Range(1, 65535)]
    public int SiloPort { get; set; } = 11111;

    /// <summary>Port grain clients (the SDK, gateway nodes) connect to. Default: 30000.</summary>
    [Range(1, 65535)]
    public int GatewayPort { get; set; } = 30000;

    /// <summary>The address other silos reach this one at, in a cluster; empty picks this host's first address. Default: empty.</summary>
    public string? AdvertisedAddress { get; set; }

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Mode == StorageMode.PostgreSql && string.IsNullOrWhiteSpace(ConnectionString))
        {
            yield return new ValidationResult(
                "DeviceFabric:Storage:ConnectionString is required when Mode is PostgreSql.", [nameof(ConnectionString)]);
        }

        if (!string.IsNullOrEmpty(AdvertisedAddress) && !System.Net.IPAddress.TryParse(AdvertisedAddress, out _))
        {
            yield return new ValidationResult(
                "DeviceFabric:Storage:AdvertisedAddress must be an IP address.", [nameof(AdvertisedAddress)]);
        }
    }
}
