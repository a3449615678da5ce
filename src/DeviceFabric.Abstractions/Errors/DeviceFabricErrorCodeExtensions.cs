namespace DeviceFabric;

/// <summary>Helpers over <see cref="DeviceFabricErrorCode"/>.</summary>
public static class DeviceFabricErrorCodeExtensions
{
    /// <summary>The HTTP status embedded in the code (its first three digits).</summary>
    public static int HttpStatus(this DeviceFabricErrorCode code) => (int)code / 1000;

    /// <summary>Whether a caller may retry the same request and expect it to succeed.</summary>
    public static bool IsTransient(this DeviceFabricErrorCode code) =>
        code is DeviceFabricErrorCode.ServiceUnavailable or DeviceFabricErrorCode.ServerError;

    /// <summary>IoT Hub's error name for the code, as sent in the <c>iothub-errorcode</c> header.</summary>
    public static string WireName(this DeviceFabricErrorCode code) => code switch
    {
        DeviceFabricErrorCode.DeviceIdInvalid or DeviceFabricErrorCode.MalformedBody => nameof(DeviceFabricErrorCode.ArgumentInvalid),
        _ => code.ToString(),
    };
}
