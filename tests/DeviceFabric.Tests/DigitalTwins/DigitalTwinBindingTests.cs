using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DeviceFabric.Tests.Api;
using DeviceFabric.Tests.Infrastructure;
using MQTTnet;
using MQTTnet.Protocol;

namespace DeviceFabric.Tests.DigitalTwins;

/// <summary>
/// A device that announces a Plug and Play model id keeps its digital twin up to date by itself (a rule made the twin):
/// its reported properties and telemetry set the properties the model defines, and the twin's commands reach it as
/// direct methods. All over MQTT and TLS with MQTTnet, and the digital twins API over HTTPS.
/// </summary>
public sealed partial class DigitalTwinBindingTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static string Models(string ns) => $$$"""
        [{"@id":"{{{ns}}}:Thermostat;1","@type":"Interface","@context":"dtmi:dtdl:context;3","contents":[
           {"@type":"Property","name":"temperature","schema":"double"},
           {"@type":"Command","name":"reboot"},
           {"@type":"Component","name":"fan","schema":"{{{ns}}}:Fan;1"}]},
         {"@id":"{{{ns}}}:Fan;1","@type":"Interface","@context":"dtmi:dtdl:context;3","contents":[
           {"@type":"Property","name":"speed","schema":"integer"}]}]
        """;

    [Fact]
    public async Task ADeviceWithAModelId_KeepsItsTwin_ThroughReportedPropertiesAndTelemetry_AndGetsItsCommands()
    {
        using var twins = fixture.Node.CreateHttpClient();
        twins.BaseAddress = new Uri($"https://127.0.0.1:{fixture.Node.DigitalTwinsPort}");
        var ns = "dtmi:test:b" + Guid.NewGuid().ToString("N")[..8];
        var model = ns + ":Thermostat;1";
        Assert.Equal(HttpStatusCode.Created, (await twins.PostAsync("/models", Json(Models(ns)), Ct)).StatusCode);
        var rule = "{\"modelId\":\"" + model + "\",\"twinIdPattern\":\"room-{deviceId}\"}";
        Assert.Equal(HttpStatusCode.OK, (await twins.PutAsync($"/bindings/rules/r-{ns[^8..]}", Json(rule), Ct)).StatusCode);

        var device = await fixture.Node.Client.Devices.CreateAsync("bound-" + Guid.NewGuid().ToString("N")[..8], cancellationToken: Ct);
        var username = MqttDevice.Username(device.DeviceId) + "&model-id=" + model;
        var (client, _) = await MqttDevice.ConnectAsync(fixture.Node, device.DeviceId, MqttDevice.Token(device.DeviceId, device.Authentication.PrimaryKey!), username: username);
        using var mqtt = client;
        var twinId = "room-" + device.DeviceId;
        client.ApplicationMessageReceivedAsync += async e =>
        {
            if (MethodTopic().Match(e.ApplicationMessage.Topic) is { Success: true } call)
            {
                var answer = "{\"method\":\"" + call.Groups["name"].Value + "\",\"got\":" + e.ApplicationMessage.ConvertPayloadToString() + "}";
                await client.PublishStringAsync($"$iothub/methods/res/200/?$rid={call.Groups["rid"].Value}", answer, MqttQualityOfServiceLevel.AtMostOnce);
            }
        };
        await client.SubscribeAsync("$iothub/methods/POST/#", MqttQualityOfServiceLevel.AtMostOnce, Ct);
        await client.SubscribeAsync("$iothub/twin/res/#", MqttQualityOfServiceLevel.AtMostOnce, Ct);

        await client.PublishStringAsync("$iothub/twin/PATCH/properties/reported/?$rid=1",
            """{"temperature":21.5,"colour":"red","fan":{"__t":"c","speed":3}}""", MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken: Ct);
        var twin = await TwinAsync(twins, twinId, t => t["temperature"]?.GetValue<double>() == 21.5);
        Assert.Equal(3, twin["fan"]!["speed"]!.GetValue<int>());
        Assert.Null(twin["colour"]);
        Assert.Equal(model, twin["$metadata"]!["$model"]!.GetValue<string>());
        Assert.NotNull(twin["$metadata"]!["temperature"]!["sourceTime"]);

        await client.PublishStringAsync($"devices/{device.DeviceId}/messages/events/", """{"temperature":25.0,"humidity":40}""", MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken: Ct);
        twin = await TwinAsync(twins, twinId, t => t["temperature"]?.GetValue<double>() == 25.0);
        Assert.Null(twin["humidity"]);

        await client.PublishStringAsync("$iothub/twin/PATCH/properties/reported/?$rid=2", """{"temperature":null}""", MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken: Ct);
        twin = await TwinAsync(twins, twinId, t => t.Count > 0 && t["temperature"] is null);
        Assert.Equal(3, twin["fan"]!["speed"]!.GetValue<int>());

        var command = await twins.PostAsync($"/digitaltwins/{twinId}/commands/reboot?responseTimeoutInSeconds=10", Json("""{"delay":1}"""), Ct);
        Assert.Equal(HttpStatusCode.OK, command.StatusCode);
        Assert.Equal("200", command.Headers.GetValues("x-ms-command-statuscode").Single());
        var answer = JsonNode.Parse(await command.Content.ReadAsStringAsync(Ct))!;
        Assert.Equal("reboot", answer["method"]!.GetValue<string>());
        Assert.Equal(1, answer["got"]!["delay"]!.GetValue<int>());
        var unknown = await twins.PostAsync($"/digitaltwins/{twinId}/commands/selfDestruct", Json("{}"), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
    }

    private static Task<JsonObject> TwinAsync(HttpClient twins, string twinId, Func<JsonObject, bool> holds) =>
        Eventually.HoldsAsync(
            async () =>
            {
                var response = await twins.GetAsync($"/digitaltwins/{twinId}", Ct);
                return response.StatusCode == HttpStatusCode.OK ? JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!.AsObject() : [];
            },
            holds,
            $"twin {twinId}");

    [GeneratedRegex(@"^\$iothub/methods/POST/(?<name>[^/]+)/\?\$rid=(?<rid>.+)$")]
    private static partial Regex MethodTopic();
}
