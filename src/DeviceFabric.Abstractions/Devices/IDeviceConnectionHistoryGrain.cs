namespace DeviceFabric.Devices;

/// <summary>
/// The operators' facet of a device grain: when it connected and disconnected, and why. Key: <c>{hub}/{deviceId}</c>,
/// or <c>{hub}/{deviceId}/{moduleId}</c> for a module (see <see cref="DeviceKey"/>).
/// </summary>
[Alias("devicefabric.IDeviceConnectionHistoryGrain")]
public interface IDeviceConnectionHistoryGrain : IGrainWithStringKey
{
    /// <summary>
    /// The connection state and the latest changes. Kept in memory and stored with the connection state (lazily, never
    /// per message), so a node killed hard forgets the changes since the device state was last stored.
    /// </summary>
    /// <exception cref="DeviceFabricException">The device or module does not exist (<see cref="DeviceFabricErrorCode.DeviceNotFound"/>, <see cref="DeviceFabricErrorCode.ModuleNotFound"/>).</exception>
    Task<ConnectionHistory> GetConnectionHistoryAsync(CancellationToken cancellationToken = default);
}
