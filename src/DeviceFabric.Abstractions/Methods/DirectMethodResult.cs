namespace DeviceFabric.Methods;

/// <summary>The device's answer: the status it chose and its JSON payload.</summary>
/// <param name="Status">The status the device replied with.</param>
/// <param name="PayloadJson">The device's payload as JSON text.</param>
[GenerateSerializer, Immutable, Alias("devicefabric.DirectMethodResult")]
public sealed record DirectMethodResult(
    [property: Id(0)] int Status,
    [property: Id(1)] string PayloadJson);
