using System.Buffers;
using DeviceFabric.Security;

namespace DeviceFabric.Devices;

/// <summary>Checks a caller's <see cref="DeviceSettings"/> and resolves the credentials to store.</summary>
internal static class DeviceSettingsRules
{
    private static readonly SearchValues<char> s_hex = SearchValues.Create("0123456789abcdefABCDEF");

    /// <summary>
    /// The authentication to store: SAS keys left empty are kept from <paramref name="current"/> when it is SAS too
    /// (the Node SDK's update sends empty keys when the caller gave none), else generated.
    /// </summary>
    public static DeviceAuthentication Resolve(DeviceSettings settings, DeviceAuthentication? current)
    {
        if (settings.StatusReason is { Length: > DeviceSettings.MaxStatusReasonLength })
        {
            throw Invalid($"statusReason is longer than {DeviceSettings.MaxStatusReasonLength} characters.");
        }

        if (!Enum.IsDefined(settings.Status))
        {
            throw Invalid("status must be enabled or disabled.");
        }

        var requested = settings.Authentication ?? DeviceAuthentication.GeneratedSas;
        return requested.Type switch
        {
            DeviceAuthenticationType.Sas => ResolveSas(requested, current),
            DeviceAuthenticationType.SelfSigned => ResolveThumbprints(requested),
            DeviceAuthenticationType.CertificateAuthority or DeviceAuthenticationType.None => new DeviceAuthentication(requested.Type),
            _ => throw Invalid("authentication.type must be sas, selfSigned, certificateAuthority or none."),
        };
    }

    private static DeviceAuthentication ResolveSas(DeviceAuthentication requested, DeviceAuthentication? current)
    {
        var keep = current?.Type == DeviceAuthenticationType.Sas ? current : null;
        var primary = Key(requested.PrimaryKey, keep?.PrimaryKey, "primaryKey");
        var secondary = Key(requested.SecondaryKey, keep?.SecondaryKey, "secondaryKey");
        return new DeviceAuthentication(DeviceAuthenticationType.Sas, primary, secondary);
    }

    private static string Key(string? requested, string? current, string name)
    {
        if (string.IsNullOrEmpty(requested))
        {
            return current ?? SymmetricKeys.Generate();
        }

        return SymmetricKeys.IsValid(requested)
            ? requested
            : throw Invalid($"authentication.symmetricKey.{name} must be base64 of {SymmetricKeys.MinBytes} to {SymmetricKeys.MaxBytes} bytes.");
    }

    private static DeviceAuthentication ResolveThumbprints(DeviceAuthentication requested)
    {
        var primary = Thumbprint(requested.PrimaryThumbprint, "primaryThumbprint");
        var secondary = Thumbprint(requested.SecondaryThumbprint, "secondaryThumbprint");
        if (primary is null)
        {
            throw Invalid("selfSigned authentication needs x509Thumbprint.primaryThumbprint.");
        }

        return new DeviceAuthentication(DeviceAuthenticationType.SelfSigned, PrimaryThumbprint: primary, SecondaryThumbprint: secondary);
    }

    private static string? Thumbprint(string? value, string name)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        return value.Length is 40 or 64 && !value.AsSpan().ContainsAnyExcept(s_hex)
            ? value.ToUpperInvariant()
            : throw Invalid($"x509Thumbprint.{name} must be 40 (SHA-1) or 64 (SHA-256) hex digits.");
    }

    private static DeviceFabricException Invalid(string message) => new(DeviceFabricErrorCode.ArgumentInvalid, message);
}
