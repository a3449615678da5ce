namespace DeviceFabric.RestClient;

/// <summary>
/// A call the node refused, in IoT Hub's terms: the HTTP status, the error code (<c>DeviceNotFound</c>,
/// <c>PreconditionFailed</c>...) and the node's message. The hub's, the provisioning service's and the digital twins
/// API's error bodies are all read into it.
/// </summary>
public sealed class FabricRestException : Exception
{
    /// <summary>Creates the exception.</summary>
    public FabricRestException(int statusCode, string errorCode, string message)
        : base(message)
    {
        StatusCode = statusCode;
        ErrorCode = errorCode;
    }

    /// <summary>The HTTP status the node answered with.</summary>
    public int StatusCode { get; }

    /// <summary>IoT Hub's error code, or the status's name when the node gave none.</summary>
    public string ErrorCode { get; }
}
