namespace DeviceFabric.Devices;

/// <summary>IoT Hub's JSON names for device enums, shared by the device JSON and the twin document.</summary>
public static class DeviceWireNames
{
    /// <summary><c>enabled</c> or <c>disabled</c>.</summary>
    public static string ToWire(this DeviceStatus status) => status == DeviceStatus.Enabled ? "enabled" : "disabled";

    /// <summary><c>sas</c>, <c>selfSigned</c>, <c>certificateAuthority</c> or <c>none</c>.</summary>
    public static string ToWire(this DeviceAuthenticationType type) => type switch
    {
        DeviceAuthenticationType.Sas => "sas",
        DeviceAuthenticationType.SelfSigned => "selfSigned",
        DeviceAuthenticationType.CertificateAuthority => "certificateAuthority",
        _ => "none",
    };
}
