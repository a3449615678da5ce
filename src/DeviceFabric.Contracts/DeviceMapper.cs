using DeviceFabric.Devices;

namespace DeviceFabric.Contracts;

/// <summary>
/// Maps between IoT Hub's device JSON and the fabric's device records, rejecting values IoT Hub would reject; the REST
/// API and the import and export jobs share it.
/// </summary>
public static class DeviceMapper
{
    /// <summary>The device as IoT Hub's device JSON.</summary>
    public static DeviceJson ToJson(DeviceIdentity device) => new()
    {
        DeviceId = device.DeviceId,
        GenerationId = device.GenerationId,
        Etag = device.ETag,
        ConnectionState = device.ConnectionState.ToString(),
        Status = device.Status.ToWire(),
        StatusReason = device.StatusReason,
        ConnectionStateUpdatedTime = device.ConnectionStateUpdatedTime.UtcDateTime,
        StatusUpdatedTime = device.StatusUpdatedTime.UtcDateTime,
        LastActivityTime = device.LastActivityTime.UtcDateTime,
        CloudToDeviceMessageCount = device.CloudToDeviceMessageCount,
        Authentication = ToJson(device.Authentication),
        Capabilities = new CapabilitiesJson { IotEdge = device.IsEdge },
        ModelId = device.ModelId,
    };

    /// <summary>What a create or update sets, from IoT Hub's fields; throws <see cref="DeviceFabricErrorCode.ArgumentInvalid"/> for values it rejects.</summary>
    public static DeviceSettings ToSettings(string? status, string? statusReason, AuthenticationJson? authentication, CapabilitiesJson? capabilities) =>
        new(ParseStatus(status), statusReason, ToAuthentication(authentication), capabilities?.IotEdge ?? false);

    /// <summary>Credentials as IoT Hub's authentication JSON.</summary>
    public static AuthenticationJson ToJson(DeviceAuthentication authentication) => new()
    {
        Type = authentication.Type.ToWire(),
        SymmetricKey = new SymmetricKeyJson { PrimaryKey = authentication.PrimaryKey, SecondaryKey = authentication.SecondaryKey },
        X509Thumbprint = new X509ThumbprintJson
        {
            PrimaryThumbprint = authentication.PrimaryThumbprint,
            SecondaryThumbprint = authentication.SecondaryThumbprint,
        },
    };

    private static DeviceStatus ParseStatus(string? status) => status switch
    {
        null or "" => DeviceStatus.Enabled,
        _ when status.Equals("enabled", StringComparison.OrdinalIgnoreCase) => DeviceStatus.Enabled,
        _ when status.Equals("disabled", StringComparison.OrdinalIgnoreCase) => DeviceStatus.Disabled,
        _ => throw Invalid($"status '{status}' is neither enabled nor disabled."),
    };

    private static DeviceAuthentication ToAuthentication(AuthenticationJson? json)
    {
        var thumbprints = json?.X509Thumbprint;
        var hasThumbprint = !string.IsNullOrEmpty(thumbprints?.PrimaryThumbprint) || !string.IsNullOrEmpty(thumbprints?.SecondaryThumbprint);
        var type = json?.Type switch
        {
            null or "" => hasThumbprint ? DeviceAuthenticationType.SelfSigned : DeviceAuthenticationType.Sas,
            var t when t.Equals("sas", StringComparison.OrdinalIgnoreCase) => DeviceAuthenticationType.Sas,
            var t when t.Equals("selfSigned", StringComparison.OrdinalIgnoreCase) => DeviceAuthenticationType.SelfSigned,
            var t when t.Equals("certificateAuthority", StringComparison.OrdinalIgnoreCase) => DeviceAuthenticationType.CertificateAuthority,
            var t when t.Equals("none", StringComparison.OrdinalIgnoreCase) => DeviceAuthenticationType.None,
            var t => throw Invalid($"authentication.type '{t}' is not sas, selfSigned, certificateAuthority or none."),
        };

        return new DeviceAuthentication(
            type,
            json?.SymmetricKey?.PrimaryKey,
            json?.SymmetricKey?.SecondaryKey,
            thumbprints?.PrimaryThumbprint,
            thumbprints?.SecondaryThumbprint);
    }

    private static DeviceFabricException Invalid(string message) => new(DeviceFabricErrorCode.ArgumentInvalid, message);
}
