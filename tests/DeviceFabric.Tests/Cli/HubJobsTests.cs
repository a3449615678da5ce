using System.Net;
using DeviceFabric.Tests.Api;
using DeviceFabric.Tests.Infrastructure;
using MQTTnet;

namespace DeviceFabric.Tests.Cli;

/// <summary>Queries, jobs, SAS tokens and policies through the CLI.</summary>
public sealed class HubJobsTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private TestNode Node => fixture.Node;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<string> NewDeviceAsync(string prefix) =>
        (await Node.Client.Devices.CreateAsync($"{prefix}-{Guid.NewGuid():N}"[..20], cancellationToken: Ct)).DeviceId;

    [Fact]
    public async Task Query_FindsTheTwinsACondition_Picks_AndTopLimitsThem()
    {
        var site = $"site{Guid.NewGuid():N}"[..12];
        var ids = new[] { await NewDeviceAsync("cli-q"), await NewDeviceAsync("cli-q"), await NewDeviceAsync("cli-q") };
        foreach (var id in ids)
        {
            await CliRunner.JsonAsync(Node, "twin", "update", "-d", id, "--tags", $$"""{"site":"{{site}}"}""");
        }

        var all = (await CliRunner.JsonAsync(Node, "query", "-q", $"SELECT * FROM devices WHERE tags.site = '{site}'"))!.AsArray();
        Assert.Equal(ids.Order(StringComparer.Ordinal), all.Select(t => (string?)t!["deviceId"]).Order(StringComparer.Ordinal));

        var two = (await CliRunner.JsonAsync(Node, "query", "-q", $"SELECT * FROM devices WHERE tags.site = '{site}'", "--top", "2"))!.AsArray();
        Assert.Equal(2, two.Count);

        var table = await CliRunner.RunAsync(Node, "query", "-q", $"SELECT * FROM devices WHERE tags.site = '{site}'", "-o", "table");
        Assert.All(ids, id => Assert.Contains(id, table.Output, StringComparison.Ordinal));
    }

    [Fact]
    public async Task JobCreateWait_FollowsATwinJobUntilItCompletes()
    {
        var deviceId = await NewDeviceAsync("cli-job");
        var jobId = $"job-{Guid.NewGuid():N}";
        var job = await CliRunner.JsonAsync(
            Node, "job", "create", "--job-id", jobId, "--job-type", "scheduleUpdateTwin", "--query-condition", $"deviceId = '{deviceId}'",
            "--twin-patch", """{"properties":{"desired":{"firmware":"2.0"}}}""", "--wait");
        Assert.Equal("completed", (string?)job!["status"]);
        Assert.Equal(1, (int)job["deviceJobStatistics"]!["succeededCount"]!);

        var twin = await CliRunner.JsonAsync(Node, "twin", "show", "-d", deviceId);
        Assert.Equal("2.0", (string?)twin!["properties"]!["desired"]!["firmware"]);
        var shown = await CliRunner.JsonAsync(Node, "job", "show", "--job-id", jobId);
        Assert.Equal("completed", (string?)shown!["status"]);
        var listed = await CliRunner.RunAsync(Node, "job", "list", "-o", "table");
        Assert.Contains(jobId, listed.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GenerateSasToken_ForTheLoginPolicy_IsAcceptedByTheRestApi()
    {
        var token = await CliRunner.LineAsync(Node, "generate-sas-token", "--duration", "300");
        Assert.StartsWith("SharedAccessSignature ", token, StringComparison.Ordinal);
        using var http = Node.CreateHttpClient(token);
        var response = await http.GetAsync("/statistics/devices", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        // Another policy's token is signed with that policy's key.
        var serviceToken = await CliRunner.LineAsync(Node, "generate-sas-token", "--policy-name", "service");
        Assert.Contains("skn=service", serviceToken, StringComparison.Ordinal);
        using var service = Node.CreateHttpClient(serviceToken);
        Assert.Equal(HttpStatusCode.OK, (await service.GetAsync("/messages/events/partitions", Ct)).StatusCode);
    }

    [Fact]
    public async Task GenerateSasToken_ForADevice_ConnectsTheDevice()
    {
        var deviceId = await NewDeviceAsync("cli-sas");
        var token = await CliRunner.LineAsync(Node, "generate-sas-token", "-d", deviceId);
        var (client, result) = await MqttDevice.ConnectAsync(Node, deviceId, token);
        using var _ = client;
        Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);
    }

    [Fact]
    public async Task PolicyList_ShowsRightsButNoKeys()
    {
        var policies = await CliRunner.RunAsync(Node, "policy", "list");
        Assert.True(policies.ExitCode == 0, policies.ToString());
        Assert.Contains("iothubowner", policies.Output, StringComparison.Ordinal);
        Assert.Contains("RegistryWrite", policies.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("primaryKey", policies.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(DeviceFabric.RestClient.ServiceConnectionString.Parse(Node.OwnerConnectionString).SharedAccessKey, policies.Output, StringComparison.Ordinal);
    }
}
