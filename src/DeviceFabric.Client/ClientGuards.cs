using DeviceFabric.Devices;
using Orleans.Streams;

namespace DeviceFabric.Client;

/// <summary>What every part of the SDK does the same way: refuse invalid device ids early, subscribe to a fabric stream.</summary>
internal static class ClientGuards
{
    /// <summary>The device's grain key, or <see cref="DeviceFabricErrorCode.DeviceIdInvalid"/> before any call is made.</summary>
    public static string DeviceKeyOf(string hub, string deviceId) =>
        DeviceIdRules.IsValid(deviceId)
            ? DeviceKey.Create(hub, deviceId)
            : throw new DeviceFabricServiceException(
                DeviceFabricErrorCode.DeviceIdInvalid,
                $"Device id '{deviceId}' is invalid: use 1-{DeviceIdRules.MaxLength} ASCII letters, digits or - . + % _ # * ? ! ( ) , = @ $ '.");

    /// <summary>Subscribes <paramref name="handler"/> to one stream of the fabric's provider.</summary>
    public static async Task<IAsyncDisposable> SubscribeAsync<T>(
        IClusterClient client, string streamNamespace, string key, Func<T, Task> handler, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handler);
        cancellationToken.ThrowIfCancellationRequested();
        var stream = client.GetStreamProvider(Streams.FabricStreams.ProviderName).GetStream<T>(StreamId.Create(streamNamespace, key));
        var handle = await stream.SubscribeAsync((item, _) => handler(item)).ConfigureAwait(false);
        return new StreamSubscription<T>([handle]);
    }
}
