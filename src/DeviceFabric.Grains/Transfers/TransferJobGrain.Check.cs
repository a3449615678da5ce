using DeviceFabric.Devices;
using DeviceFabric.Hubs;
using DeviceFabric.Registry;

namespace DeviceFabric.Transfers;

/// <summary>Checks a request before it is accepted, so a job that cannot run is refused instead of failing later.</summary>
internal sealed partial class TransferJobGrain
{
    private async Task<TransferRequest> CheckAsync(TransferRequest request, CancellationToken cancellationToken)
    {
        var root = options.Value.Directory;
        switch (request.Type)
        {
            case TransferType.Import:
                var input = Path.Combine(TransferPaths.Folder(root, request.InputFolder, "input"), TransferPaths.FileName(request.InputFile, TransferPaths.DefaultDevicesFile));
                TransferPaths.Folder(root, request.OutputFolder ?? request.InputFolder, "output");
                if (!File.Exists(input))
                {
                    throw new DeviceFabricException(DeviceFabricErrorCode.BlobContainerValidationError, $"There is no {Path.GetFileName(input)} in the input folder '{request.InputFolder}'.");
                }

                return request with { InputFile = Path.GetFileName(input), OutputFolder = request.OutputFolder ?? request.InputFolder };
            case TransferType.Export:
                TransferPaths.Folder(root, request.OutputFolder, "output");
                return request with { OutputFile = TransferPaths.FileName(request.OutputFile, TransferPaths.DefaultDevicesFile) };
            default:
                var target = TargetOf(request);
                if ((request.DeviceId is null) == (request.QueryCondition is null))
                {
                    throw Invalid("A migration moves one device (deviceId) or the devices a query condition picks (queryCondition): give one of them.");
                }

                if (request.DeviceId is not null)
                {
                    DeviceIdRules.ThrowIfInvalid(request.DeviceId);
                }
                else
                {
                    // Parses the condition now: a malformed one is the caller's 400, not a failed job.
                    await CountAsync(request.QueryCondition!, cancellationToken);
                }

                return request with { TargetHub = target.Name };
        }
    }

    /// <summary>The hub a migration moves to: another hub of the fabric, by name or host name.</summary>
    private HubDefinition TargetOf(TransferRequest request)
    {
        var target = hubs.Value.All.FirstOrDefault(h =>
            string.Equals(h.Name, request.TargetHub, StringComparison.Ordinal) || string.Equals(h.HostName, request.TargetHub, StringComparison.OrdinalIgnoreCase));
        if (target is null)
        {
            throw Invalid($"targetHub '{request.TargetHub}' is no hub of this fabric.");
        }

        return target.Name != _hub ? target : throw Invalid("A migration moves devices to another hub, not the one they are in.");
    }

    private async Task<long> CountAsync(string condition, CancellationToken cancellationToken)
    {
        var page = await GrainFactory.GetGrain<IDeviceRegistryGrain>(_hub).QueryAsync(MigrationQuery("COUNT() AS total", condition), 1, null, cancellationToken);
        return page.Items.Count == 0 ? 0 : System.Text.Json.Nodes.JsonNode.Parse(page.Items[0])?["total"]?.GetValue<long>() ?? 0;
    }

    private static string MigrationQuery(string selection, string condition) => $"SELECT {selection} FROM devices WHERE {condition}";

    private static DeviceFabricException Invalid(string message) => new(DeviceFabricErrorCode.ArgumentInvalid, message);
}
