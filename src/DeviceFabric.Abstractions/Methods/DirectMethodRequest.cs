namespace DeviceFabric.Methods;

/// <summary>A direct method call, as IoT Hub's <c>POST /twins/{id}/methods</c> body.</summary>
/// <param name="MethodName">The method; US-ASCII printable characters except <c>$ ( ) &lt; &gt; @ , ; : \ " / [ ] ? = { }</c>, space and tab.</param>
/// <param name="PayloadJson">The payload as JSON text (<c>null</c> when there is none); at most 128 KB.</param>
/// <param name="ResponseTimeout">How long the device has to answer once the request is sent: 5 to 300 seconds.</param>
/// <param name="ConnectTimeout">How long to wait for the device to connect and subscribe first: 0 to 300 seconds.</param>
[GenerateSerializer, Immutable, Alias("devicefabric.DirectMethodRequest")]
public sealed record DirectMethodRequest(
    [property: Id(0)] string MethodName,
    [property: Id(1)] string PayloadJson,
    [property: Id(2)] TimeSpan ResponseTimeout,
    [property: Id(3)] TimeSpan ConnectTimeout)
{
    /// <summary>The largest request or response payload.</summary>
    public const int MaxPayloadBytes = 128 * 1024;

    /// <summary>The default response timeout, as IoT Hub's.</summary>
    public static readonly TimeSpan DefaultResponseTimeout = TimeSpan.FromSeconds(30);
}
