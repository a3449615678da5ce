using System.Net.Sockets;
using DeviceFabric.Tests.Infrastructure;

namespace DeviceFabric.Tests.Interop;

/// <summary>
/// The npm <c>azure-iothub</c> service SDK's <c>Registry</c>, unchanged, against the REST API. Its REST client always
/// dials port 443, so the node serves HTTPS on 443 on loopback and Node trusts the development CA via NODE_EXTRA_CA_CERTS.
/// </summary>
[Collection(Port443Collection.Name)]
public sealed class AzureIotHubRegistryInteropTests
{
    [Fact]
    public async Task Registry_CreateGetUpdateListBulkDelete_WorkUnchanged()
    {
        await using var node = await StartOn443Async();
        var (exitCode, output) = await NodeScript.RunAsync("registry.js", new Dictionary<string, string>
        {
            ["DEVICEFABRIC_CONNECTION_STRING"] = node.OwnerConnectionString,
            ["NODE_EXTRA_CA_CERTS"] = node.CaPath,
        }, TimeSpan.FromSeconds(60));

        Assert.True(exitCode == 0, output);
        Assert.Contains("ok - get after delete rejects with DeviceNotFoundError", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JobClientAndQuery_ScheduleCancelAndPage_WorkUnchanged()
    {
        await using var node = await StartOn443Async();
        var (exitCode, output) = await NodeScript.RunAsync("jobs.js", new Dictionary<string, string>
        {
            ["DEVICEFABRIC_CONNECTION_STRING"] = node.OwnerConnectionString,
            ["NODE_EXTRA_CA_CERTS"] = node.CaPath,
            ["DEVICEFABRIC_CA"] = node.CaPath,
            ["MQTT_HOST"] = $"localhost:{node.MqttTlsPort}",
        }, TimeSpan.FromSeconds(90));

        Assert.True(exitCode == 0, output);
        Assert.Contains("ok - scheduleDeviceMethod reaches a connected SDK device", output, StringComparison.Ordinal);
        Assert.Contains("ok - a malformed query condition is an ArgumentError", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Registry_ExportAndImportJobs_WorkUnchanged()
    {
        await using var node = await StartOn443Async();
        var (exitCode, output) = await NodeScript.RunAsync("import-export.js", new Dictionary<string, string>
        {
            ["DEVICEFABRIC_CONNECTION_STRING"] = node.OwnerConnectionString,
            ["NODE_EXTRA_CA_CERTS"] = node.CaPath,
            ["DEVICEFABRIC_TRANSFERS"] = Path.Combine(node.DataDirectory, "transfers"),
        }, TimeSpan.FromSeconds(60));

        Assert.True(exitCode == 0, output);
        Assert.Contains("ok - importDevicesFromBlob brings deleted devices back with their keys and tags", output, StringComparison.Ordinal);
    }

    internal static async Task<TestNode> StartOn443Async()
    {
        try
        {
            return await TestNode.StartAsync(settings: new Dictionary<string, string?> { ["DeviceFabric:Node:HttpsPort"] = "443" });
        }
        catch (IOException ex) when (ex.InnerException?.InnerException is SocketException { SocketErrorCode: SocketError.AccessDenied })
        {
            ExternalService.Missing("Binding port 443 needs root or CAP_NET_BIND_SERVICE.");
            throw;
        }
    }
}
