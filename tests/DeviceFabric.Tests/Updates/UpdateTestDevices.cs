using System.Text.Json;
using System.Text.Json.Nodes;
using DeviceFabric.Tests.Infrastructure;
using DeviceFabric.Updates;

namespace DeviceFabric.Tests.Updates;

/// <summary>What the deployment tests drive: a device on the message path, and the hub's deployment events.</summary>
internal static class UpdateTestDevices
{
    internal sealed record SimpleDevice(string Id, TwinDevice Twin, Recorder<(string Topic, string Body)> Messages)
    {
        /// <summary>Reports an outcome for the workflow as an agent does.</summary>
        public async Task ReportAsync(string workflowId, string provider, string version, int state, int resultCode)
        {
            var agent = new JsonObject
            {
                ["state"] = state,
                ["workflow"] = new JsonObject { ["action"] = 3, ["id"] = workflowId },
                ["lastInstallResult"] = new JsonObject { ["resultCode"] = resultCode, ["extendedResultCodes"] = state == 0 ? "00000000" : "30000010" },
            };
            if (state == 0)
            {
                agent["installedUpdateId"] = JsonSerializer.Serialize(new { provider, name = "Toaster", version });
            }

            var patch = new JsonObject { ["deviceUpdate"] = new JsonObject { ["__t"] = "c", ["agent"] = agent } };
            Assert.Equal(204, (await Twin.PatchReportedAsync(patch.ToJsonString())).Status);
        }
    }

    /// <summary>The hub's deployment events of one group, through the grain client SDK.</summary>
    internal sealed class EventLog : IAsyncDisposable
    {
        private readonly Recorder<UpdateDeploymentEvent> _events = new();
        private IAsyncDisposable? _subscription;

        public static async Task<EventLog> StartAsync(TestNode node, string group)
        {
            var log = new EventLog();
            log._subscription = await node.Client.Updates.SubscribeAsync(e => e.GroupId == group ? log._events.Add(e) : Task.CompletedTask, TestContext.Current.CancellationToken);
            return log;
        }

        public Task WaitForAsync(UpdateDeploymentEventKind kind) => _events.WaitForAsync(e => e.Kind == kind);

        public async ValueTask DisposeAsync() => await _subscription!.DisposeAsync();
    }
}
