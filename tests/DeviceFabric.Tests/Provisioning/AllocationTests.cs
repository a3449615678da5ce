using DeviceFabric.Provisioning;
using Microsoft.Extensions.DependencyInjection;

namespace DeviceFabric.Tests.Provisioning;

/// <summary>Which hub a device lands in: by weight when hashed, the one named when static; and where it goes when it registers again.</summary>
public sealed class AllocationTests(ProvisioningFixture fixture) : IClassFixture<ProvisioningFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Hashed_Spreads200DevicesByWeight_AndAlwaysGivesAnIdTheSameHub()
    {
        var (group, groupKey) = await GroupAsync("""{"attestation":{"type":"symmetricKey"},"allocationPolicy":"hashed"}""");
        var ids = Enumerable.Range(0, 200).Select(i => $"{group}-{i:D3}").ToList();
        var hubs = new Dictionary<string, string>();
        foreach (var batch in ids.Chunk(20))
        {
            var answers = await Task.WhenAll(batch.Select(id => fixture.RegisterAsync(id, ProvisioningKeys.Derive(groupKey, id))));
            foreach (var (id, (status, body)) in batch.Zip(answers))
            {
                Assert.Equal(200, status);
                hubs[id] = body.GetProperty("registrationState").GetProperty("assignedHub").GetString()!;
            }
        }

        // Weights 1 (localhost) and 3 (plant-b.example): 50 and 150 expected; the hash is fixed, so this is exact each run.
        var second = hubs.Values.Count(h => h == ProvisioningFixture.SecondHost);
        Assert.InRange(second, 130, 170);
        Assert.Equal(200 - second, hubs.Values.Count(h => h == "localhost"));

        var again = await fixture.RegisterAsync(ids[7], ProvisioningKeys.Derive(groupKey, ids[7]));
        Assert.Equal(hubs[ids[7]], again.Body.GetProperty("registrationState").GetProperty("assignedHub").GetString());

        // Registrations that arrived together share their shards' writes; the group's query still pages through all 200.
        Assert.Equal(ids, await ListGroupAsync(group, pageSize: 64));
    }

    private async Task<List<string>> ListGroupAsync(string group, int pageSize)
    {
        using var http = fixture.Service();
        var listed = new List<string>();
        string? continuation = null;
        do
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/registrations/{group}/query")
            {
                Content = new StringContent("""{"query":"*"}""", System.Text.Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("x-ms-max-item-count", pageSize.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (continuation is not null)
            {
                request.Headers.Add("x-ms-continuation", continuation);
            }

            using var response = await http.SendAsync(request, Ct);
            var page = await Api.ApiAssert.JsonAsync(response);
            Assert.InRange(page.GetArrayLength(), 1, pageSize);
            listed.AddRange(page.EnumerateArray().Select(r => r.GetProperty("registrationId").GetString()!));
            continuation = response.Headers.TryGetValues("x-ms-continuation", out var values) ? values.Single() : null;
        }
        while (continuation is not null);

        return listed;
    }

    [Fact]
    public async Task Static_PutsEveryDeviceInItsOneHub_AndNeedsExactlyOne()
    {
        var (group, groupKey) = await GroupAsync("""{"attestation":{"type":"symmetricKey"},"allocationPolicy":"static","iotHubs":["plant-b.example"]}""");
        foreach (var id in new[] { group + "-a", group + "-b", group + "-c" })
        {
            var (_, body) = await fixture.RegisterAsync(id, ProvisioningKeys.Derive(groupKey, id));
            Assert.Equal(ProvisioningFixture.SecondHost, body.GetProperty("registrationState").GetProperty("assignedHub").GetString());
        }

        using var http = fixture.Service();
        var refused = await http.PutAsync($"/enrollmentGroups/{group}-two", Json("""{"attestation":{"type":"symmetricKey"},"allocationPolicy":"static","iotHubs":["localhost","plant-b.example"]}"""), Ct);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("exactly one hub", await refused.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true, "deviceDataMigrated")]
    [InlineData(false, "deviceDataReset")]
    public async Task Reprovisioning_MovesTheDevice_WithItsTwinOrFromTheInitialTwin(bool migrate, string substatus)
    {
        var id = ProvisioningFixture.NewId(migrate ? "migrate" : "reset");
        var enrollment = await fixture.PutAsync($"/enrollments/{id}", """{"attestation":{"type":"symmetricKey"},"iotHubs":["localhost"],"initialTwin":{"tags":{"initial":true}}}""");
        var key = enrollment.GetProperty("attestation").GetProperty("symmetricKey").GetProperty("primaryKey").GetString()!;
        Assert.Equal("localhost", (await fixture.RegisterAsync(id, key)).Body.GetProperty("registrationState").GetProperty("assignedHub").GetString());
        await fixture.Node.Client.Twins.UpdateAsync(id, System.Text.Json.Nodes.JsonNode.Parse("""{"tags":{"initial":null,"grown":"in-a"},"properties":{"desired":{"fw":"2.0"}}}""")!.AsObject(), cancellationToken: Ct);

        var policy = migrate ? "true" : "false";
        await fixture.PutAsync($"/enrollments/{id}", """
            {"attestation":{"type":"symmetricKey","symmetricKey":{"primaryKey":"KEY","secondaryKey":"KEY"}},"iotHubs":["plant-b.example"],
             "reprovisionPolicy":{"updateHubAssignment":true,"migrateDeviceData":POLICY},"initialTwin":{"tags":{"initial":true}}}
            """.Replace("KEY", key, StringComparison.Ordinal).Replace("POLICY", policy, StringComparison.Ordinal));
        var (status, body) = await fixture.RegisterAsync(id, key);

        Assert.Equal(200, status);
        var state = body.GetProperty("registrationState");
        Assert.Equal(ProvisioningFixture.SecondHost, state.GetProperty("assignedHub").GetString());
        Assert.Equal(substatus, state.GetProperty("substatus").GetString());
        var plantB = new DeviceFabric.Client.DeviceFabricClient(fixture.Node.Services.GetRequiredService<IClusterClient>(), ProvisioningFixture.SecondHub);
        var twin = await plantB.Twins.GetAsync(id, Ct);
        if (migrate)
        {
            Assert.Equal("in-a", twin["tags"]!["grown"]!.GetValue<string>());
            Assert.Equal("2.0", twin["properties"]!["desired"]!["fw"]!.GetValue<string>());
        }
        else
        {
            Assert.True(twin["tags"]!["initial"]!.GetValue<bool>());
            Assert.Null(twin["tags"]!["grown"]);
        }

        // It left its old hub.
        var gone = await Assert.ThrowsAsync<DeviceFabric.Client.DeviceFabricServiceException>(() => fixture.Node.Client.Devices.GetAsync(id, Ct));
        Assert.Equal(DeviceFabricErrorCode.DeviceNotFound, gone.ErrorCode);
    }

    [Fact]
    public async Task Reprovisioning_WithoutUpdateHubAssignment_KeepsTheDeviceWhereItIs()
    {
        var id = ProvisioningFixture.NewId("stay");
        var enrollment = await fixture.PutAsync($"/enrollments/{id}", """{"attestation":{"type":"symmetricKey"},"iotHubs":["localhost"]}""");
        var key = enrollment.GetProperty("attestation").GetProperty("symmetricKey").GetProperty("primaryKey").GetString()!;
        await fixture.RegisterAsync(id, key);
        await fixture.PutAsync($"/enrollments/{id}", """
            {"attestation":{"type":"symmetricKey","symmetricKey":{"primaryKey":"KEY","secondaryKey":"KEY"}},"iotHubs":["plant-b.example"],
             "reprovisionPolicy":{"updateHubAssignment":false,"migrateDeviceData":false}}
            """.Replace("KEY", key, StringComparison.Ordinal));

        var (_, body) = await fixture.RegisterAsync(id, key);

        Assert.Equal("localhost", body.GetProperty("registrationState").GetProperty("assignedHub").GetString());
        Assert.Equal(id, (await fixture.Node.Client.Devices.GetAsync(id, Ct)).DeviceId);
    }

    private async Task<(string Id, string Key)> GroupAsync(string json)
    {
        var group = ProvisioningFixture.NewId("alloc");
        var stored = await fixture.PutAsync($"/enrollmentGroups/{group}", json);
        return (group, stored.GetProperty("attestation").GetProperty("symmetricKey").GetProperty("primaryKey").GetString()!);
    }

    private static StringContent Json(string json) => new(json, System.Text.Encoding.UTF8, "application/json");
}
