using System.Text.Json.Nodes;
using DeviceFabric.Devices;
using DeviceFabric.Registry;
using DeviceFabric.Twins;

namespace DeviceFabric.Transfers;

/// <summary>Export and migration: the hub's devices page by page, each page's progress stored before the next.</summary>
internal sealed partial class TransferJobGrain
{
    private const int PageSize = 100;

    private async Task ExportAsync(TransferRequest request, CancellationToken cancellationToken)
    {
        var folder = TransferPaths.Folder(options.Value.Directory, request.OutputFolder, "output");
        System.IO.Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, request.OutputFile!);
        var partial = path + ".partial";
        var registry = GrainFactory.GetGrain<IDeviceRegistryGrain>(_hub);
        var total = Math.Max(1, (await registry.GetStatisticsAsync(cancellationToken)).TotalDeviceCount);

        // Started again from the top after a restart: an export is a snapshot, and the partial file is only renamed whole.
        state.State.Succeeded = 0;
        await using (var file = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024, useAsync: true))
        {
            string? continuation = null;
            do
            {
                var page = await registry.ListAsync(PageSize, continuation, cancellationToken);
                var twins = await Task.WhenAll(page.Devices.Select(d => TwinOrNullAsync(d.DeviceId, cancellationToken)));
                foreach (var (device, twin) in page.Devices.Zip(twins))
                {
                    if (twin is null)
                    {
                        continue; // Deleted since the page was read.
                    }

                    await file.WriteAsync(DeviceExporter.Line(device, twin, request.ExcludeKeys), cancellationToken);
                    file.WriteByte((byte)'\n');
                    state.State.Succeeded++;
                }

                instruments.Handled(TransferType.Export, true, page.Devices.Count);
                state.State.Progress = (int)Math.Min(99, state.State.Succeeded * 100 / total);
                continuation = page.ContinuationToken;
            }
            while (continuation is not null);

            await file.FlushAsync(cancellationToken);
        }

        File.Move(partial, path, overwrite: true);
    }

    private async Task<string?> TwinOrNullAsync(string deviceId, CancellationToken cancellationToken)
    {
        try
        {
            return await GrainFactory.GetGrain<ITwinServiceGrain>(DeviceKey.Create(_hub, deviceId)).GetAsync(cancellationToken);
        }
        catch (DeviceFabricException ex) when (ex.Code == DeviceFabricErrorCode.DeviceNotFound)
        {
            return null;
        }
    }

    private async Task MigrateAsync(TransferRequest request, CancellationToken cancellationToken)
    {
        var target = TargetOf(request);
        if (request.DeviceId is { } one)
        {
            await MoveOneAsync(target, one, request.IncludeReported, cancellationToken);
            return;
        }

        var registry = GrainFactory.GetGrain<IDeviceRegistryGrain>(_hub);
        var total = Math.Max(1, state.State.Succeeded + await CountAsync(request.QueryCondition!, cancellationToken));
        string? continuation = null;
        do
        {
            // Pages by device id, so the devices already moved out of the hub do not shift what comes next.
            var page = await registry.QueryAsync(MigrationQuery("*", request.QueryCondition!), PageSize, continuation, cancellationToken);
            var ids = page.Items.Select(item => JsonNode.Parse(item)?["deviceId"]?.GetValue<string>()).OfType<string>().ToList();
            await Task.WhenAll(ids.Select(id => MoveOneAsync(target, id, request.IncludeReported, cancellationToken)));
            state.State.Progress = (int)Math.Min(99, (state.State.Succeeded + state.State.Failed) * 100 / total);
            await state.WriteStateAsync(CancellationToken.None);
            continuation = page.ContinuationToken;
        }
        while (continuation is not null);
    }

    private async Task MoveOneAsync(Hubs.HubDefinition target, string deviceId, bool includeReported, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            // A move, once begun, is finished: cancelling stops the job between devices, never inside one.
            if (await DeviceMover.MoveAsync(GrainFactory, Hub, target, deviceId, includeReported, CancellationToken.None))
            {
                state.State.Succeeded++;
                instruments.Handled(TransferType.Migrate, true);
                return;
            }

            Failed(new TransferError(0, deviceId, DeviceFabricErrorCode.DeviceNotFound, $"Device {deviceId} is not in hub {_hub}."));
        }
        catch (DeviceFabricException ex)
        {
            Failed(new TransferError(0, deviceId, ex.Code, ex.Message));
        }

        instruments.Handled(TransferType.Migrate, false);
    }
}
