namespace DeviceFabric.Tests.Cli;

/// <summary><c>devicefabric dt</c>: models uploaded, twins made with them, a relationship, a query, and the API's refusals.</summary>
public sealed class ManagementDigitalTwinTests(ManagementCliFixture fixture) : IClassFixture<ManagementCliFixture>
{
    private static string Models(string ns) => $$$"""
        [{"@id":"{{{ns}}}:Room;1","@type":"Interface","@context":"dtmi:dtdl:context;2","displayName":"Room","contents":[
           {"@type":"Property","name":"temperature","schema":"double"},
           {"@type":"Relationship","name":"contains","target":"{{{ns}}}:Sensor;1"}]},
         {"@id":"{{{ns}}}:Sensor;1","@type":"Interface","@context":"dtmi:dtdl:context;2","contents":[{"@type":"Property","name":"reading","schema":"double"}]}]
        """;

    [Fact]
    public async Task ModelTwinRelationshipAndQuery_WorkThroughTheCli()
    {
        var ns = "dtmi:cli:n" + Guid.NewGuid().ToString("N")[..8];
        var added = await fixture.JsonAsync("dt", "model", "create", "--models", "@" + fixture.WriteFile("models.json", Models(ns)));
        Assert.Equal([$"{ns}:Room;1", $"{ns}:Sensor;1"], added.AsArray().Select(m => (string?)m!["id"]).Order(StringComparer.Ordinal));
        Assert.Contains($"{ns}:Room;1", await fixture.TableAsync("dt", "model", "list"), StringComparison.Ordinal);
        Assert.NotNull((await fixture.JsonAsync("dt", "model", "show", "--dtmi", $"{ns}:Room;1", "--definition"))["model"]);

        var room = ManagementCliFixture.NewId("room");
        var sensor = ManagementCliFixture.NewId("sensor");
        var created = await fixture.JsonAsync("dt", "twin", "create", "--dt-id", room, "--dtmi", $"{ns}:Room;1", "--properties", """{"temperature":20.5}""");
        Assert.Equal(room, (string?)created["$dtId"]);
        await fixture.JsonAsync("dt", "twin", "create", "--dt-id", sensor, "--properties", $$"""{"$metadata":{"$model":"{{ns}}:Sensor;1"},"reading":1}""");

        var relationship = await fixture.JsonAsync("dt", "twin", "relationship", "create", "--dt-id", room, "--relationship-id", "r1", "--relationship", "contains", "--target", sensor);
        Assert.Equal(sensor, (string?)relationship["$targetId"]);
        var listed = await fixture.JsonAsync("dt", "twin", "relationship", "list", "--dt-id", room);
        Assert.Equal("r1", (string?)Assert.Single(listed.AsArray())!["$relationshipId"]);
        Assert.Equal(room, (string?)Assert.Single((await fixture.JsonAsync("dt", "twin", "relationship", "list", "--dt-id", sensor, "--incoming")).AsArray())!["$sourceId"]);

        var patched = await fixture.JsonAsync("dt", "twin", "update", "--dt-id", room, "--json-patch", """{"op":"replace","path":"/temperature","value":22.5}""");
        Assert.Equal(22.5, (double?)patched["temperature"]);

        var found = await fixture.JsonAsync("dt", "twin", "query", "-q", $"SELECT * FROM digitaltwins WHERE IS_OF_MODEL('{ns}:Room;1') AND temperature = 22.5");
        Assert.Equal(room, (string?)Assert.Single(found.AsArray())!["$dtId"]);
        var joined = await fixture.JsonAsync("dt", "twin", "query", "-q", $"SELECT S FROM digitaltwins R JOIN S RELATED R.contains WHERE R.$dtId = '{room}'");
        Assert.Equal(sensor, (string?)Assert.Single(joined.AsArray())!["S"]!["$dtId"]);
        Assert.Contains(room, await fixture.TableAsync("dt", "twin", "query", "-q", $"SELECT * FROM digitaltwins WHERE $dtId = '{room}'"), StringComparison.Ordinal);

        await fixture.RefusedAsync("RelationshipsNotDeleted", "dt", "twin", "delete", "--dt-id", sensor);
        await fixture.SucceedsAsync("dt", "twin", "relationship", "delete", "--dt-id", room, "--relationship-id", "r1");
        await fixture.SucceedsAsync("dt", "twin", "delete", "--dt-id", sensor);
        await fixture.RefusedAsync("DigitalTwinNotFound", "dt", "twin", "show", "--dt-id", sensor);
    }

    [Fact]
    public async Task AnInvalidModel_IsRefusedWithTheApiErrorCode()
    {
        var ns = "dtmi:cli:bad" + Guid.NewGuid().ToString("N")[..8];
        var refused = await fixture.RefusedAsync("DTDLParserError", "dt", "model", "create", "--models",
            $$"""{"@id":"{{ns}};1","@type":"Interface","@context":"dtmi:dtdl:context;2","contents":[{"@type":"Property","name":"x","schema":"{{ns}}:Missing;1"}]}""");
        Assert.Equal(string.Empty, refused.Output);
        var models = await fixture.JsonAsync("dt", "model", "list");
        Assert.DoesNotContain(models.AsArray(), m => ((string?)m!["id"])?.StartsWith(ns, StringComparison.Ordinal) == true);

        var usage = await CliRunner.RunAsync(fixture.Node, "dt", "twin", "create", "--dt-id", "nomodel", "--properties", "{}");
        Assert.True(usage.ExitCode == 2, usage.ToString());
    }
}
