using DeviceFabric.Devices;

namespace DeviceFabric.Methods;

/// <summary>A direct method call on its way to the device, which answers with the same request id.</summary>
/// <param name="MethodName">The method to run.</param>
/// <param name="RequestId">Matches the device's answer to this call.</param>
/// <param name="PayloadJson">The payload as JSON text.</param>
[GenerateSerializer, Immutable, Alias("devicefabric.DirectMethodCall")]
public sealed record DirectMethodCall(
    [property: Id(0)] string MethodName,
    [property: Id(1)] string RequestId,
    [property: Id(2)] string PayloadJson) : DeviceBoundMessage;
