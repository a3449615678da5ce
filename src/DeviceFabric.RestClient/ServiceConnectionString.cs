using System.Diagnostics.CodeAnalysis;

namespace DeviceFabric.RestClient;

/// <summary>
/// IoT Hub's connection string, as the node prints it and the Azure SDKs take it:
/// <c>HostName=h;SharedAccessKeyName=policy;SharedAccessKey=key</c> for a service policy, or
/// <c>HostName=h;DeviceId=d[;ModuleId=m];SharedAccessKey=key</c> for a device or module.
/// </summary>
public sealed record ServiceConnectionString(string HostName, string? SharedAccessKeyName, string SharedAccessKey, string? DeviceId = null, string? ModuleId = null)
{
    /// <summary>The host name without a port (a connection string may carry one: <c>localhost:8883</c>).</summary>
    public string Host => HostName.Split(':', 2)[0];

    /// <summary>Parses a connection string; the error says which part is missing or malformed.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out ServiceConnectionString? connectionString, [NotNullWhen(false)] out string? error)
    {
        connectionString = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "The connection string is empty.";
            return false;
        }

        var parts = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in text.Trim().Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                error = $"'{Redacted(part)}' is not a name=value pair.";
                return false;
            }

            parts[part[..equals]] = part[(equals + 1)..];
        }

        var host = parts.GetValueOrDefault("HostName");
        var key = parts.GetValueOrDefault("SharedAccessKey");
        if (string.IsNullOrEmpty(host))
        {
            error = "The connection string has no HostName.";
            return false;
        }

        if (string.IsNullOrEmpty(key) || !IsBase64(key))
        {
            error = "The connection string has no SharedAccessKey, or it is not base64.";
            return false;
        }

        var policy = parts.GetValueOrDefault("SharedAccessKeyName");
        var device = parts.GetValueOrDefault("DeviceId");
        if (string.IsNullOrEmpty(policy) == string.IsNullOrEmpty(device))
        {
            error = "The connection string needs exactly one of SharedAccessKeyName (a service policy) and DeviceId (a device).";
            return false;
        }

        connectionString = new ServiceConnectionString(host, NullIfEmpty(policy), key, NullIfEmpty(device), NullIfEmpty(parts.GetValueOrDefault("ModuleId")));
        error = null;
        return true;
    }

    /// <summary>Parses a connection string or throws <see cref="FormatException"/>.</summary>
    public static ServiceConnectionString Parse(string text) =>
        TryParse(text, out var parsed, out var error) ? parsed : throw new FormatException(error);

    /// <summary>The connection string in IoT Hub's form.</summary>
    public override string ToString() => SharedAccessKeyName is not null
        ? $"HostName={HostName};SharedAccessKeyName={SharedAccessKeyName};SharedAccessKey={SharedAccessKey}"
        : ModuleId is null
            ? $"HostName={HostName};DeviceId={DeviceId};SharedAccessKey={SharedAccessKey}"
            : $"HostName={HostName};DeviceId={DeviceId};ModuleId={ModuleId};SharedAccessKey={SharedAccessKey}";

    /// <summary>A service token for the whole hub (or, for a device's string, its own resource), valid for <paramref name="lifetime"/>.</summary>
    public string CreateToken(TimeSpan lifetime, DateTimeOffset now)
    {
        var resource = SharedAccessKeyName is not null
            ? Host
            : ModuleId is null ? $"{Host}/devices/{DeviceId}" : $"{Host}/devices/{DeviceId}/modules/{ModuleId}";
        return DeviceFabric.Security.SharedAccessSignature.Create(resource, SharedAccessKey, SharedAccessKeyName, now + lifetime);
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static bool IsBase64(string value)
    {
        Span<byte> buffer = stackalloc byte[(value.Length * 3 / 4) + 3];
        return Convert.TryFromBase64String(value, buffer, out _);
    }

    // Keys must never reach an error message or a log.
    private static string Redacted(string part) => part.Length > 12 ? part[..12] + "..." : part;
}
