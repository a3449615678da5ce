using System.Text.Json.Nodes;
using DeviceFabric.Query;

namespace DeviceFabric.Tests.Query;

/// <summary>IoT Hub's query language: one parser, one evaluator over twin documents, clear errors with positions.</summary>
public sealed class QueryLanguageTests
{
    private static readonly JsonObject s_thermostat = JsonNode.Parse("""
        {"deviceId":"thermo-1","status":"enabled","connectionState":"Connected",
         "tags":{"location":{"region":"us-west","floor":3},"group":"a","mode":null},
         "properties":{"desired":{"interval":30},"reported":{"fw":"1.2.0","temp":21.5,"ok":true}}}
        """)!.AsObject();

    [Theory]
    [InlineData("SELECT * FROM devices", true)]
    [InlineData("SELECT * FROM devices WHERE tags.location.region = 'us-west'", true)]
    [InlineData("select * from devices where tags.location.region = \"us-east\"", false)]
    [InlineData("SELECT * FROM devices WHERE properties.reported.temp > 20 AND properties.reported.temp <= 21.5", true)]
    [InlineData("SELECT * FROM devices WHERE properties.reported.temp > 30 OR tags.location.floor = 3", true)]
    [InlineData("SELECT * FROM devices WHERE NOT (status = 'disabled')", true)]
    [InlineData("SELECT * FROM devices WHERE status != 'enabled'", false)]
    [InlineData("SELECT * FROM devices WHERE status <> 'disabled'", true)]
    [InlineData("SELECT * FROM devices WHERE tags.location.floor IN [1, 2, 3]", true)]
    [InlineData("SELECT * FROM devices WHERE tags.location.floor NIN [1, 2, 3]", false)]
    [InlineData("SELECT * FROM devices WHERE IS_DEFINED(properties.reported.fw)", true)]
    [InlineData("SELECT * FROM devices WHERE IS_DEFINED(properties.reported.missing)", false)]
    [InlineData("SELECT * FROM devices WHERE IS_DEFINED(tags.mode) AND IS_NULL(tags.mode)", true)]
    [InlineData("SELECT * FROM devices WHERE IS_NUMBER(properties.reported.temp) AND IS_STRING(properties.reported.fw)", true)]
    [InlineData("SELECT * FROM devices WHERE IS_BOOL(properties.reported.ok) AND IS_OBJECT(tags.location)", true)]
    [InlineData("SELECT * FROM devices WHERE STARTSWITH(properties.reported.fw, '1.2') AND ENDSWITH(deviceId, '-1')", true)]
    [InlineData("SELECT * FROM devices WHERE tags.[[group]] = 'a'", true)]
    [InlineData("SELECT * FROM devices WHERE properties.reported.missing = null", false)]
    [InlineData("SELECT * FROM devices WHERE properties.reported.temp = '21.5'", false)]
    [InlineData("SELECT * FROM devices WHERE properties.desired.interval = 0x1E", true)]
    [InlineData("SELECT * FROM devices WHERE DeviceId = 'thermo-1'", true)]
    [InlineData("SELECT * FROM devices WHERE 30 = properties.desired.interval", true)]
    public void Where_EvaluatesAsIotHub(string query, bool expected)
    {
        Assert.Equal(expected, QueryParser.Parse(query).Matches(s_thermostat));
    }

    [Fact]
    public void NumericAggregates_AreParsed_AndAPropertyNamedLikeOneStaysAPath()
    {
        var query = QueryParser.Parse("SELECT MAX(properties.reported.t) AS hi, avg(tags.x), max FROM devices");

        Assert.Equal(new[] { "MAX", "AVG", null }, query.Select!.Select(s => s.Aggregate));
        Assert.Equal(new[] { "hi", "avg", "max" }, query.Select!.Select(s => s.Alias));
        Assert.Equal(["properties", "reported", "t"], query.Select![0].Path!);
        Assert.Equal(["max"], query.Select![2].Path!);
        Assert.Throws<DeviceFabricException>(() => QueryParser.Parse("SELECT SUM(tags.x FROM devices"));
    }

    [Fact]
    public void Select_ProjectionsTopCountAndGroupBy_AreParsed()
    {
        var query = QueryParser.Parse("SELECT TOP 5 deviceId, properties.reported.fw AS firmware FROM devices.modules");
        Assert.Equal(5, query.Top);
        Assert.Equal("devices.modules", query.Collection);
        Assert.Equal(["deviceId", "firmware"], query.Select!.Select(s => s.Alias));

        var grouped = QueryParser.Parse("SELECT properties.reported.fw, COUNT() AS numberOfDevices FROM devices GROUP BY properties.reported.fw");
        Assert.Equal(["properties", "reported", "fw"], grouped.GroupBy);
        Assert.Null(grouped.Select![1].Path);
        Assert.Equal("numberOfDevices", grouped.Select[1].Alias);
    }

    [Fact]
    public void Numbers_CompareHoweverTheDocumentHoldsThem()
    {
        var document = new JsonObject { ["version"] = 7L, ["count"] = 3, ["ratio"] = 0.5m };
        Assert.True(QueryParser.Parse("SELECT * FROM devices WHERE version > 6 AND count = 3 AND ratio < 1").Matches(document));
    }

    [Fact]
    public void Condition_AloneIsWhatJobsAndConfigurationsGive()
    {
        Assert.True(QueryParser.ParseCondition("tags.location.region='us-west'")!.IsTrue(s_thermostat));
        Assert.Null(QueryParser.ParseCondition("*"));
    }

    [Theory]
    [InlineData("", "1 to 8192 characters")]
    [InlineData("SELECT * FROM things", "position 15: expected devices")]
    [InlineData("SELECT * FROM devices WHERE tags.a ~ 1", "position 36: expected a comparison operator")]
    [InlineData("SELECT * FROM devices WHERE tags.a = 'open", "unterminated string")]
    [InlineData("SELECT * FROM devices WHERE STARTSWITH(deviceId)", "needs a string")]
    [InlineData("SELECT * FROM devices WHERE (status = 'enabled'", "expected ')'")]
    [InlineData("SELECT * FROM devices WHERE status = 'enabled' LIMIT 3", "unexpected 'L'")]
    [InlineData("DELETE FROM devices", "position 1: expected SELECT")]
    public void MalformedQuery_IsA400NamingPositionAndCause(string query, string expected)
    {
        var error = Assert.Throws<DeviceFabricException>(() => QueryParser.Parse(query));
        Assert.Equal(DeviceFabricErrorCode.ArgumentInvalid, error.Code);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
