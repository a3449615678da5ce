namespace DeviceFabric.Twins;

/// <summary>A twin change, for backend apps: the patch as applied and the versions it produced.</summary>
/// <param name="Hub">The device's hub.</param>
/// <param name="DeviceId">The device.</param>
/// <param name="Kind">What changed.</param>
/// <param name="Version">The twin's version after the change.</param>
/// <param name="Patch">IoT Hub's change body: <c>{"version":..,"tags":..,"properties":{"desired"|"reported":{...,"$version":..}}}</c>.</param>
/// <param name="Time">When it changed.</param>
/// <param name="ModuleId">The module, when the twin is a module's (its device is <paramref name="DeviceId"/>).</param>
[GenerateSerializer, Immutable, Alias("devicefabric.TwinChangeEvent")]
public sealed record TwinChangeEvent(
    [property: Id(0)] string Hub,
    [property: Id(1)] string DeviceId,
    [property: Id(2)] TwinChangeKind Kind,
    [property: Id(3)] long Version,
    [property: Id(4)] string Patch,
    [property: Id(5)] DateTimeOffset Time,
    [property: Id(6)] string? ModuleId = null);
