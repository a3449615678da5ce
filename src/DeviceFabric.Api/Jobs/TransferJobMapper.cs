using DeviceFabric.Contracts;
using DeviceFabric.Transfers;

namespace DeviceFabric.Api.Jobs;

/// <summary>Maps IoT Hub's import/export job JSON to the fabric's transfer requests and back.</summary>
internal static class TransferJobMapper
{
    public static TransferRequest ToRequest(ImportExportJobJson json)
    {
        var type = TransferWireNames.ParseType(json.Type)
            ?? throw Invalid($"type '{json.Type}' is not import, export or migrate (twin and method jobs are scheduled at /jobs/v2/{{id}}).");
        if (json.StorageAuthenticationType is { Length: > 0 } auth && !auth.Equals("keyBased", StringComparison.OrdinalIgnoreCase))
        {
            throw Invalid("storageAuthenticationType identityBased needs a managed identity, which a fabric node has none of: use keyBased (or leave it out).");
        }

        return new TransferRequest(
            type,
            InputFolder: json.InputBlobContainerUri,
            InputFile: json.InputBlobName,
            OutputFolder: json.OutputBlobContainerUri,
            OutputFile: json.OutputBlobName,
            ExcludeKeys: json.ExcludeKeysInExport ?? false,
            TargetHub: json.TargetHub,
            DeviceId: json.DeviceId,
            QueryCondition: json.QueryCondition,
            IncludeReported: json.IncludeReported ?? false);
    }

    public static ImportExportJobJson ToJson(TransferSnapshot job)
    {
        var request = job.Request;
        return new ImportExportJobJson
        {
            JobId = job.JobId,
            Type = TransferWireNames.Type(request.Type),
            Status = TransferWireNames.Status(job.Status),
            Progress = job.Progress,
            StartTimeUtc = (job.StartedTime ?? job.CreatedTime).UtcDateTime,
            EndTimeUtc = job.EndedTime?.UtcDateTime,
            FailureReason = job.FailureReason,
            InputBlobContainerUri = request.InputFolder,
            OutputBlobContainerUri = request.OutputFolder,
            InputBlobName = request.InputFile,
            OutputBlobName = request.OutputFile,
            ExcludeKeysInExport = request.Type == TransferType.Export ? request.ExcludeKeys : null,
            StorageAuthenticationType = request.Type == TransferType.Migrate ? null : "keyBased",
            TargetHub = request.TargetHub,
            DeviceId = request.DeviceId,
            QueryCondition = request.QueryCondition,
            IncludeReported = request.Type == TransferType.Migrate ? request.IncludeReported : null,
            DevicesSucceeded = job.Succeeded,
            DevicesFailed = job.Failed,
            Errors = [.. job.Errors.Select(e => new ImportExportErrorJson { Line = e.Line, DeviceId = e.DeviceId, ErrorCode = (int)e.Code, ErrorStatus = e.Message })],
        };
    }

    private static DeviceFabricException Invalid(string message) => new(DeviceFabricErrorCode.ArgumentInvalid, message);
}
