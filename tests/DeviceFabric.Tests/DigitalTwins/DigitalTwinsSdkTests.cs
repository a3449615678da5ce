using System.Text.Json.Nodes;
using DeviceFabric.DigitalTwins;
using DeviceFabric.Tests.Api;
using DeviceFabric.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace DeviceFabric.Tests.DigitalTwins;

/// <summary>The digital twins through the grain client SDK (<c>fabric.DigitalTwins</c>), with its events in Azure Digital Twins' shapes.</summary>
public sealed class DigitalTwinsSdkTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheSdkManagesTwins_QueriesThem_AndEveryChangeIsAnEvent()
    {
        var fabric = fixture.Node.Client.DigitalTwins;
        var ns = "dtmi:test:k" + Guid.NewGuid().ToString("N")[..8];
        var events = new Recorder<DigitalTwinEvent>();
        using var metrics = new MeterRecorder(fixture.Node.Services.GetRequiredService<DigitalTwinInstruments>().Meter);
        await using var subscription = await fabric.SubscribeAsync(e => e.Subject.StartsWith(ns[^8..], StringComparison.Ordinal) ? events.Add(e) : Task.CompletedTask, Ct);
        await fabric.AddModelsAsync($$$"""
            [{"@id":"{{{ns}}}:Lamp;1","@type":"Interface","@context":"dtmi:dtdl:context;3","contents":[
               {"@type":"Property","name":"on","schema":"boolean"},
               {"@type":"Relationship","name":"next","target":"{{{ns}}}:Lamp;1"}]}]
            """, Ct);
        var (a, b) = (ns[^8..] + "-a", ns[^8..] + "-b");
        foreach (var id in new[] { a, b })
        {
            await fabric.PutTwinAsync(id, "{\"$metadata\":{\"$model\":\"" + ns + ":Lamp;1\"},\"on\":false}", onlyIfNew: true, cancellationToken: Ct);
        }

        await fabric.PatchTwinAsync(a, """[{"op":"replace","path":"/on","value":true}]""", cancellationToken: Ct);
        await fabric.PutRelationshipAsync(a, "n1", "{\"$targetId\":\"" + b + "\",\"$relationshipName\":\"next\"}", cancellationToken: Ct);
        var lit = new List<string>();
        await foreach (var row in fabric.QueryAsync($"SELECT L.$dtId FROM DIGITALTWINS L WHERE IS_OF_MODEL(L, '{ns}:Lamp;1') AND L.on = true", pageSize: 1, Ct))
        {
            lit.Add(JsonNode.Parse(row)!["$dtId"]!.GetValue<string>());
        }

        Assert.Equal([a], lit);
        Assert.True(metrics.Total("devicefabric-digitaltwin-writes") >= 4, "twin writes are counted");
        Assert.True(metrics.Total("devicefabric-digitaltwin-queries") >= 1, "queries are counted");
        await events.WaitForAsync(e => e.Type == DigitalTwinEvent.TwinCreate && e.Subject == b);
        var update = await events.WaitForAsync(e => e.Type == DigitalTwinEvent.TwinUpdate && e.Subject == a);
        var patch = JsonNode.Parse(update.DataJson)!;
        Assert.Equal(ns + ":Lamp;1", patch["modelId"]!.GetValue<string>());
        Assert.Equal("/on", patch["patch"]![0]!["path"]!.GetValue<string>());
        Assert.True(patch["patch"]![0]!["value"]!.GetValue<bool>());
        await events.WaitForAsync(e => e.Type == DigitalTwinEvent.RelationshipCreate && e.Subject == $"{a}/relationships/n1");

        var refused = await Assert.ThrowsAsync<Client.DeviceFabricServiceException>(() => fabric.DeleteTwinAsync(b, cancellationToken: Ct));
        Assert.Equal(DeviceFabricErrorCode.RelationshipsNotDeleted, refused.ErrorCode);
        await fabric.DeleteRelationshipAsync(a, "n1", Ct);
        await fabric.DeleteTwinAsync(b, cancellationToken: Ct);
        await events.WaitForAsync(e => e.Type == DigitalTwinEvent.TwinDelete && e.Subject == b);
    }
}
