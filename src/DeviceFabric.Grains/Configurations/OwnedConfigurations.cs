namespace DeviceFabric.Configurations;

/// <summary>
/// Configurations another grain owns and keeps in step (an update deployment's, one per device class, as Device Update
/// writes its deployments through IoT Hub configurations). They are applied by the twins like any other, but the
/// configurations API neither shows nor changes them, and their content may change. Their ids hold a slash, which
/// an operator's configuration id cannot.
/// </summary>
[Alias("devicefabric.IOwnedConfigurationsGrain")]
internal interface IOwnedConfigurationsGrain : IGrainWithStringKey
{
    /// <summary>
    /// Makes the owner's configurations exactly <paramref name="configurations"/>, in one stored write (none when
    /// nothing differs); the twins concerned are told afterwards.
    /// </summary>
    Task SetOwnedAsync(string owner, IReadOnlyList<OwnedConfiguration> configurations, CancellationToken cancellationToken = default);
}

/// <summary>One owned configuration: device content only.</summary>
/// <param name="Id">Starts with the owner and a slash.</param>
/// <param name="TargetCondition">Its condition on device twins.</param>
/// <param name="Priority">Higher wins a path.</param>
/// <param name="DeviceContent">Twin paths (<c>properties.desired...</c>) and their JSON values.</param>
/// <param name="Rollout">The devices released, when it goes in waves.</param>
/// <param name="Selector">The update deployment's group and class, when it is one's.</param>
[GenerateSerializer, Immutable, Alias("devicefabric.OwnedConfiguration")]
internal sealed record OwnedConfiguration(
    [property: Id(0)] string Id,
    [property: Id(1)] string TargetCondition,
    [property: Id(2)] int Priority,
    [property: Id(3)] IReadOnlyDictionary<string, string> DeviceContent,
    [property: Id(4)] ConfigurationRollout? Rollout,
    [property: Id(5)] DeviceUpdateSelector? Selector = null);

/// <summary>Telling owned configurations from operators'.</summary>
internal static class OwnedConfigurations
{
    public static bool IsOwned(string id) => id.Contains('/', StringComparison.Ordinal);
}
