using System.Text.Json.Nodes;
using DeviceFabric.DigitalTwins;

namespace DeviceFabric.Tests.DigitalTwins;

/// <summary>DTDL batches compiled and refused with the path of the problem, and twins validated against them.</summary>
public sealed class DtdlParserTests
{
    private const string Space = "dtmi:example:Space;1";
    private const string Building = "dtmi:example:Building;1";
    private const string Floor = "dtmi:example:Floor;1";
    private const string Room = "dtmi:example:Room;1";

    // Out of order on purpose: each interface comes before the ones it extends or targets.
    private const string BuildingBatch = """
        [
          { "@id": "dtmi:example:Building;1", "@type": "Interface", "@context": "dtmi:dtdl:context;2", "displayName": "Building",
            "extends": "dtmi:example:Space;1",
            "contents": [
              { "@type": "Property", "name": "address", "schema": "string", "writable": true },
              { "@type": "Relationship", "name": "contains", "target": "dtmi:example:Floor;1", "maxMultiplicity": 100,
                "properties": [ { "@type": "Property", "name": "since", "schema": "date" } ] } ] },
          { "@id": "dtmi:example:Room;1", "@type": "Interface", "@context": "dtmi:dtdl:context;2", "extends": ["dtmi:example:Space;1"],
            "contents": [ { "@type": "Property", "name": "occupied", "schema": "boolean" } ] },
          { "@id": "dtmi:example:Floor;1", "@type": "Interface", "@context": "dtmi:dtdl:context;2", "extends": "dtmi:example:Space;1",
            "contents": [ { "@type": "Relationship", "name": "contains", "target": "dtmi:example:Room;1" } ] },
          { "@id": "dtmi:example:Space;1", "@type": "Interface", "@context": ["dtmi:dtdl:context;2"],
            "contents": [ { "@type": ["Property", "Area"], "name": "area", "schema": "double", "unit": "squareMetre" } ] }
        ]
        """;

    private const string ThermostatBatch = """
        [
          { "@id": "dtmi:example:Thermostat;1", "@type": "Interface", "@context": "dtmi:dtdl:context;2",
            "schemas": [ { "@id": "dtmi:example:Mode;1", "@type": "Enum", "valueSchema": "string",
              "enumValues": [ { "name": "eco", "enumValue": "eco" }, { "name": "comfort", "enumValue": "comfort" } ] } ],
            "contents": [
              { "@type": "Property", "name": "mode", "schema": "dtmi:example:Mode;1", "writable": true },
              { "@type": "Property", "name": "location", "schema": { "@type": "Object", "fields": [
                { "name": "lat", "schema": "double" }, { "name": "lon", "schema": "double" } ] } },
              { "@type": "Property", "name": "readings", "schema": { "@type": "Map",
                "mapKey": { "name": "sensor", "schema": "string" }, "mapValue": { "name": "count", "schema": "integer" } } },
              { "@type": ["Telemetry", "Temperature"], "name": "temperature", "schema": "double", "unit": "degreeCelsius" },
              { "@type": "Command", "name": "reboot", "request": { "name": "delay", "schema": "duration" } },
              { "@type": "Component", "name": "sensor", "schema": "dtmi:example:Sensor;1" } ] },
          { "@id": "dtmi:example:Sensor;1", "@type": "Interface", "@context": "dtmi:dtdl:context;2",
            "contents": [ { "@type": "Property", "name": "serial", "schema": "string" } ] }
        ]
        """;

    private static IReadOnlyList<DtdlInterface> Parse(string json) => Parse(json, static _ => null);

    private static IReadOnlyList<DtdlInterface> Parse(string json, Func<string, DtdlInterface?> resolve) =>
        DtdlParser.ParseBatch(JsonNode.Parse(json)!.AsArray(), resolve);

    private static void AssertRefused(string json, string path)
    {
        var error = Assert.Throws<DeviceFabricException>(() => Parse(json));
        Assert.Equal(DeviceFabricErrorCode.ArgumentInvalid, error.Code);
        Assert.StartsWith(path + ": ", error.Message, StringComparison.Ordinal);
    }

    private static string Interface(string id, string extends, string contents) =>
        "{ \"@id\": \"" + id + "\", \"@type\": \"Interface\", \"@context\": \"dtmi:dtdl:context;2\", "
        + (extends.Length > 0 ? "\"extends\": " + extends + ", " : "") + "\"contents\": " + contents + " }";

    [Fact]
    public void OutOfOrderBatch_IsCompiledInItsOrder_WithInheritedMembersFlattened()
    {
        var models = Parse(BuildingBatch);

        Assert.Equal(string.Join(",", Building, Room, Floor, Space), string.Join(",", models.Select(m => m.Id)));
        var building = models[0];
        Assert.Equal(2, building.Version);
        Assert.Equal("Building", building.DisplayName["en"]);
        Assert.Equal(Space, Assert.Single(building.Extends));
        Assert.Equal(Space, Assert.Single(building.Ancestors));
        Assert.Equal(Space, Assert.Single(building.Dependencies));
        Assert.Equal(new DtdlPrimitive("double"), Assert.Contains("area", building.Properties).Schema);
        Assert.True(Assert.Contains("address", building.Properties).Writable);
        var contains = Assert.Contains("contains", building.Relationships);
        Assert.Equal(Floor, contains.Target);
        Assert.Equal(100, contains.MaxMultiplicity);
        Assert.Equal(new DtdlPrimitive("date"), Assert.Contains("since", contains.Properties).Schema);
        Assert.Equal(Room, models[2].Relationships["contains"].Target);
        Assert.Contains("area", models[1].Properties);
        Assert.Empty(models[3].Ancestors);
        Assert.StartsWith("{\"@id\":\"dtmi:example:Space;1\",\"@type\":\"Interface\"", models[3].Json, StringComparison.Ordinal);
    }

    [Fact]
    public void Component_IsADependency_AndResolvesAgainstKnownModels()
    {
        var first = Parse(ThermostatBatch);
        var thermostat = first[0];
        Assert.Equal("dtmi:example:Sensor;1", thermostat.Components["sensor"]);
        Assert.Equal("dtmi:example:Sensor;1", Assert.Single(thermostat.Dependencies));
        Assert.IsType<DtdlEnum>(thermostat.Properties["mode"].Schema);
        Assert.Equal(new DtdlPrimitive("duration"), thermostat.Commands["reboot"].Request);
        Assert.Contains("temperature", thermostat.Telemetry);

        var known = first.ToDictionary(m => m.Id);
        var child = Parse("[" + Interface("dtmi:example:Child;1", "\"dtmi:example:Thermostat;1\"", "[]") + "]", id => known.GetValueOrDefault(id));
        Assert.Equal("dtmi:example:Sensor;1", Assert.Single(child).Components["sensor"]);
    }

    [Fact]
    public void V3ArrayProperty_IsAccepted()
    {
        var model = Assert.Single(Parse("""
            [ { "@id": "dtmi:example:Tagged;1.2", "@type": "Interface", "@context": "dtmi:dtdl:context;3",
                "contents": [ { "@type": "Property", "name": "tags", "schema": { "@type": "Array", "elementSchema": "string" } },
                              { "@type": "Property", "name": "id", "schema": "uuid" } ] } ]
            """));

        Assert.Equal(3, model.Version);
        Assert.Equal(new DtdlArray(new DtdlPrimitive("string")), model.Properties["tags"].Schema);
        Assert.Null(DtdlValidator.Check(model.Properties["tags"].Schema, JsonNode.Parse("""["a","b"]"""), "/tags"));
        Assert.NotNull(DtdlValidator.Check(model.Properties["tags"].Schema, JsonNode.Parse("""["a",1]"""), "/tags"));
    }

    [Fact]
    public void UnknownExtends_IsRefusedAtItsPath() =>
        AssertRefused("[" + Interface("dtmi:example:A;1", "\"dtmi:example:Missing;1\"", "[]") + "]", "models[0].extends");

    [Fact]
    public void ExtendsCycle_IsRefusedNamingTheCycle()
    {
        var json = "[" + Interface("dtmi:example:A;1", "\"dtmi:example:B;1\"", "[]") + ","
            + Interface("dtmi:example:B;1", "[\"dtmi:example:A;1\"]", "[]") + "]";
        AssertRefused(json, "models[1].extends[0]");
        var error = Assert.Throws<DeviceFabricException>(() => Parse(json));
        Assert.Contains("dtmi:example:A;1 -> dtmi:example:B;1 -> dtmi:example:A;1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NameClashingWithAnInheritedOne_IsRefused() =>
        AssertRefused(
            "[" + Interface("dtmi:example:Base;1", "", """[ { "@type": "Property", "name": "temp", "schema": "double" } ]""") + ","
            + Interface("dtmi:example:Child;1", "\"dtmi:example:Base;1\"", """[ { "@type": "Telemetry", "name": "temp", "schema": "double" } ]""") + "]",
            "models[1].contents[0].name");

    [Fact]
    public void BadDtmi_IsRefused() =>
        AssertRefused("[" + Interface("dtmi:example:bad-id;1", "", "[]") + "]", "models[0].@id");

    [Fact]
    public void ArrayPropertyInV2_IsRefused() =>
        AssertRefused(
            "[" + Interface("dtmi:example:A;1", "", """[ { "@type": "Property", "name": "tags", "schema": { "@type": "Array", "elementSchema": "string" } } ]""") + "]",
            "models[0].contents[0].schema");

    [Fact]
    public void EnumValueOfTheWrongType_IsRefused() =>
        AssertRefused(
            "[" + Interface("dtmi:example:A;1", "", """
                [ { "@type": "Property", "name": "level", "schema": { "@type": "Enum", "valueSchema": "integer",
                    "enumValues": [ { "name": "one", "enumValue": "one" } ] } } ]
                """) + "]",
            "models[0].contents[0].schema.enumValues[0].enumValue");

    [Fact]
    public void Twin_WithAWrongType_OrAnUnknownProperty_IsRefusedNamingIt()
    {
        var models = Parse(BuildingBatch).ToDictionary(m => m.Id);
        var room = models[Room];

        var wrongType = DtdlValidator.CheckTwin(room, JsonNode.Parse("""{"area":"big"}""")!.AsObject(), id => models[id], true);
        Assert.NotNull(wrongType);
        Assert.StartsWith("/area:", wrongType, StringComparison.Ordinal);

        var unknown = DtdlValidator.CheckTwin(room, JsonNode.Parse("""{"area":12.5,"colour":"red"}""")!.AsObject(), id => models[id], true);
        Assert.NotNull(unknown);
        Assert.StartsWith("/colour:", unknown, StringComparison.Ordinal);

        Assert.Null(DtdlValidator.CheckTwin(room, JsonNode.Parse("""{"$dtId":"r1","$metadata":{},"area":12,"occupied":null}""")!.AsObject(), id => models[id], true));
    }

    [Fact]
    public void Twin_WithoutItsComponent_OrWithAValueOutsideTheEnum_IsRefused()
    {
        var models = Parse(ThermostatBatch).ToDictionary(m => m.Id);
        var thermostat = models["dtmi:example:Thermostat;1"];

        var missing = DtdlValidator.CheckTwin(thermostat, JsonNode.Parse("""{"mode":"eco"}""")!.AsObject(), id => models[id], true);
        Assert.NotNull(missing);
        Assert.StartsWith("/sensor:", missing, StringComparison.Ordinal);
        Assert.Null(DtdlValidator.CheckTwin(thermostat, JsonNode.Parse("""{"mode":"eco"}""")!.AsObject(), id => models[id], false));

        var outside = DtdlValidator.CheckTwin(thermostat, JsonNode.Parse("""{"mode":"turbo","sensor":{"$metadata":{}}}""")!.AsObject(), id => models[id], true);
        Assert.NotNull(outside);
        Assert.StartsWith("/mode:", outside, StringComparison.Ordinal);

        var telemetry = DtdlValidator.CheckTwin(thermostat, JsonNode.Parse("""{"temperature":20,"sensor":{}}""")!.AsObject(), id => models[id], true);
        Assert.NotNull(telemetry);
        Assert.StartsWith("/temperature:", telemetry, StringComparison.Ordinal);

        var inComponent = DtdlValidator.CheckTwin(thermostat, JsonNode.Parse("""{"sensor":{"serial":5}}""")!.AsObject(), id => models[id], true);
        Assert.NotNull(inComponent);
        Assert.StartsWith("/sensor/serial:", inComponent, StringComparison.Ordinal);
    }

    [Fact]
    public void Twin_WithAnObjectMapAndEnum_IsValid()
    {
        var models = Parse(ThermostatBatch).ToDictionary(m => m.Id);
        var twin = JsonNode.Parse("""
            { "$dtId": "t1", "$etag": "W/\"1\"", "$metadata": { "$model": "dtmi:example:Thermostat;1" },
              "mode": "comfort", "location": { "lat": 47.6, "lon": -122 }, "readings": { "a": 1, "b": 2 },
              "sensor": { "$metadata": {}, "serial": "SN-1" } }
            """)!.AsObject();

        Assert.Null(DtdlValidator.CheckTwin(models["dtmi:example:Thermostat;1"], twin, id => models[id], true));

        var location = models["dtmi:example:Thermostat;1"].Properties["location"].Schema;
        Assert.StartsWith("/location/alt:", DtdlValidator.Check(location, JsonNode.Parse("""{"alt":1}"""), "/location"), StringComparison.Ordinal);
        var readings = models["dtmi:example:Thermostat;1"].Properties["readings"].Schema;
        Assert.StartsWith("/readings/a:", DtdlValidator.Check(readings, JsonNode.Parse("""{"a":1.5}"""), "/readings"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("integer", "2147483648", false)]
    [InlineData("integer", "-5", true)]
    [InlineData("dateTime", "\"2024-05-01T10:00:00Z\"", true)]
    [InlineData("dateTime", "\"2024-05-01 10:00:00\"", false)]
    [InlineData("date", "\"2024-02-30\"", false)]
    [InlineData("time", "\"23:59:59.5\"", true)]
    [InlineData("duration", "\"PT1H30M\"", true)]
    [InlineData("duration", "\"1 hour\"", false)]
    [InlineData("boolean", "1", false)]
    [InlineData("point", """{"type":"Point","coordinates":[1,2]}""", true)]
    public void Primitive_IsCheckedByKind(string kind, string json, bool valid) =>
        Assert.Equal(valid, DtdlValidator.Check(new DtdlPrimitive(kind), JsonNode.Parse(json), "/p") is null);
}
