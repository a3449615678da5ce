using System.Text;
using DeviceFabric.Devices;
using DeviceFabric.Hubs;
using DeviceFabric.Json;
using DeviceFabric.Provisioning;
using DeviceFabric.Twins;

namespace DeviceFabric.Transfers;

/// <summary>
/// Moves one device to another hub: its identity with its keys or thumbprints and status, its tags and desired
/// properties (and reported ones when asked) are stored in the target first; then its provisioning record, if it has
/// one, points at the target; and only then is it deleted from the source, which closes its session there and refuses
/// its next connect. Stopped anywhere, running it again finishes the move.
/// </summary>
internal static class DeviceMover
{
    /// <summary>Moves the device; false when the source has no such device.</summary>
    public static async Task<bool> MoveAsync(IGrainFactory grains, HubDefinition source, HubDefinition target, string deviceId, bool includeReported, CancellationToken cancellationToken)
    {
        var from = grains.GetGrain<IDeviceIdentityGrain>(DeviceKey.Create(source.Name, deviceId));
        if (await from.GetAsync(cancellationToken) is not { } device)
        {
            return false;
        }

        var twinJson = await grains.GetGrain<ITwinServiceGrain>(DeviceKey.Create(source.Name, deviceId)).GetAsync(cancellationToken);
        var targetKey = DeviceKey.Create(target.Name, deviceId);
        var to = grains.GetGrain<IDeviceIdentityGrain>(targetKey);
        var settings = new DeviceSettings(device.Status, device.StatusReason, device.Authentication, device.IsEdge);
        if (await to.GetAsync(cancellationToken) is null)
        {
            await to.CreateAsync(settings, cancellationToken);
        }
        else
        {
            await to.UpdateAsync(settings, "*", cancellationToken);
        }

        await grains.GetGrain<ITwinServiceGrain>(targetKey).ReplaceAsync(RegisteredTwin.Migrated(twinJson), "*", cancellationToken);
        var reported = StrictJson.ParseObject(twinJson, "The twin")["properties"]?["reported"] as System.Text.Json.Nodes.JsonObject;
        if (includeReported && RegisteredTwin.WithoutMetadata(reported) is { Count: > 0 } carried)
        {
            await grains.GetGrain<ITwinSessionGrain>(targetKey).PatchReportedAsync(Encoding.UTF8.GetBytes(carried.ToJsonString()), cancellationToken);
        }

        // Registration ids are device ids unless an individual enrollment names another; those records keep the old hub.
        await grains.GetGrain<IDeviceRegistrationGrain>(deviceId).DeviceMovedAsync(source.HostName, target.HostName, deviceId, cancellationToken);
        try
        {
            await from.DeleteAsync("*", cancellationToken);
        }
        catch (DeviceFabricException ex) when (ex.Code == DeviceFabricErrorCode.DeviceNotFound)
        {
            // Deleted meanwhile: the move is done all the same.
        }

        return true;
    }
}
