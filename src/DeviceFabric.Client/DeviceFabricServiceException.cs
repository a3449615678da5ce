namespace DeviceFabric.Client;

/// <summary>An operation the fabric refused or failed, with IoT Hub's status and error code.</summary>
public sealed class DeviceFabricServiceException : Exception
{
    /// <summary>Creates an exception from the fabric's error code.</summary>
    public DeviceFabricServiceException(DeviceFabricErrorCode errorCode, string message, Exception? innerException = null)
        : base(message, innerException) => ErrorCode = errorCode;

    /// <summary>Creates a server-error exception.</summary>
    public DeviceFabricServiceException()
        : this(DeviceFabricErrorCode.ServerError, "The fabric failed.")
    {
    }

    /// <summary>Creates a server-error exception with a message.</summary>
    public DeviceFabricServiceException(string message)
        : this(DeviceFabricErrorCode.ServerError, message)
    {
    }

    /// <summary>Creates a server-error exception that wraps another.</summary>
    public DeviceFabricServiceException(string message, Exception innerException)
        : this(DeviceFabricErrorCode.ServerError, message, innerException)
    {
    }

    /// <summary>What went wrong, e.g. <see cref="DeviceFabricErrorCode.DeviceNotFound"/>.</summary>
    public DeviceFabricErrorCode ErrorCode { get; }

    /// <summary>The HTTP status the REST API would have answered with.</summary>
    public int StatusCode => ErrorCode.HttpStatus();

    /// <summary>Whether retrying the same call may succeed.</summary>
    public bool IsTransient => ErrorCode.IsTransient();

    /// <summary>Runs a grain call, translating the fabric's errors and transport failures into this exception.</summary>
    internal static async Task<T> TranslateAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (DeviceFabricException ex)
        {
            throw new DeviceFabricServiceException(ex.Code, ex.Message, ex);
        }
        catch (Exception ex) when (ex is TimeoutException or OrleansException)
        {
            throw new DeviceFabricServiceException(DeviceFabricErrorCode.ServiceUnavailable, "The fabric did not answer: " + ex.Message, ex);
        }
    }

    /// <summary>Runs a grain call that returns nothing, translating errors as <see cref="TranslateAsync{T}"/> does.</summary>
    internal static Task TranslateAsync(Func<Task> call) => TranslateAsync(async () =>
    {
        await call().ConfigureAwait(false);
        return true;
    });
}
