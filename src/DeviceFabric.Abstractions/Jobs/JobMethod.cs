namespace DeviceFabric.Jobs;

/// <summary>The direct method a <see cref="JobType.ScheduleDeviceMethod"/> job calls.</summary>
/// <param name="MethodName">The method's name.</param>
/// <param name="PayloadJson">The payload as JSON text (<c>null</c> when none).</param>
/// <param name="ResponseTimeout">How long each device has to answer.</param>
/// <param name="ConnectTimeout">How long to wait for each device to be online.</param>
[GenerateSerializer, Immutable, Alias("devicefabric.JobMethod")]
public sealed record JobMethod(
    [property: Id(0)] string MethodName,
    [property: Id(1)] string PayloadJson,
    [property: Id(2)] TimeSpan ResponseTimeout,
    [property: Id(3)] TimeSpan ConnectTimeout);
