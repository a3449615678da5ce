using DeviceFabric.Devices;
using DeviceFabric.Methods;
using DeviceFabric.Twins;

namespace DeviceFabric.Jobs;

/// <summary>What a job does to one device: patch its twin (once per job) or call its method, recording the outcome on its row.</summary>
internal static class DeviceJobWork
{
    public static async Task RunAsync(IGrainFactory grains, string hub, JobPlan plan, DeviceJobRow row)
    {
        var key = DeviceKey.Create(hub, row.DeviceId);
        if (plan.Request.Type == JobType.ScheduleUpdateTwin)
        {
            // A rollback applies the row's own restoring patch; a twin update records what its patch replaced.
            var patch = plan.RollbackOf is null ? plan.Request.UpdateTwinJson! : row.Patch!;
            var restore = await grains.GetGrain<ITwinJobGrain>(key).ApplyJobPatchAsync(plan.JobId, patch);
            if (plan.RollbackOf is null)
            {
                row.Patch = restore;
            }

            return;
        }

        var method = plan.Request.Method!;
        var result = await grains.GetGrain<IDeviceMethodGrain>(key).InvokeMethodAsync(
            new DirectMethodRequest(method.MethodName, method.PayloadJson, method.ResponseTimeout, method.ConnectTimeout));
        row.MethodStatus = result.Status;
        row.MethodPayload = result.PayloadJson;
    }
}
