using System.Text.Json.Nodes;
using DeviceFabric.Twins;

namespace DeviceFabric.Tests.Twins;

/// <summary>Twin section merge, metadata, versions and IoT Hub's limits: a refused patch changes nothing.</summary>
public sealed class TwinSectionTests
{
    private static readonly DateTimeOffset s_now = new(2026, 11, 26, 8, 0, 0, TimeSpan.Zero);

    private static TwinSection NewSection(int limit = TwinRules.PropertiesMaxBytes) => new("properties.desired", limit, [], [], 1);

    private static JsonObject Json(string text) => JsonNode.Parse(text)!.AsObject();

    [Fact]
    public void Apply_MergesNestedObjects_NullRemoves_AndBumpsTheVersion()
    {
        var section = NewSection();
        Assert.Equal(2, section.Apply(Json("""{"a":1,"b":{"c":true,"d":"x"}}"""), s_now));
        Assert.Equal(3, section.Apply(Json("""{"a":null,"b":{"d":null,"e":[1,2]}}"""), s_now.AddSeconds(1)));

        Assert.Equal("""{"b":{"c":true,"e":[1,2]}}""", section.Properties.ToJsonString());
        Assert.Equal(3, section.Metadata["b"]!["$lastUpdatedVersion"]!.GetValue<long>());
        Assert.Equal(2, section.Metadata["b"]!["c"]!["$lastUpdatedVersion"]!.GetValue<long>());
        Assert.Null(section.Metadata["a"]);
        Assert.Equal("2026-11-26T08:00:01.0000000Z", section.Metadata["$lastUpdated"]!.GetValue<string>());
        Assert.Equal(3, section.ToJson(withMetadata: false)["$version"]!.GetValue<long>());
    }

    public static TheoryData<string> BadPatches() =>
    [
        """{"a.b":1}""", """{"$x":1}""", """{"has space":1}""", """{"ctl\u0001":1}""", """{"big":9007199254740993}""",
        """{"a":{"b":{"c":{"d":{"e":{"f":{"g":{"h":{"i":{"j":{"k":1}}}}}}}}}}}""", """{"s":"REPLACE"}""",
    ];

    [Theory]
    [MemberData(nameof(BadPatches))]
    public void Apply_BadPatch_IsRefusedWhole(string patch)
    {
        var section = NewSection();
        section.Apply(Json("""{"keep":1}"""), s_now);
        var before = (section.Properties.ToJsonString(), section.Metadata.ToJsonString(), section.Version);

        var text = patch.Replace("REPLACE", new string('x', TwinRules.MaxStringChars + 1), StringComparison.Ordinal);
        var error = Assert.Throws<DeviceFabricException>(() => section.Apply(Json("""{"ok":2,""" + text[1..]), s_now));
        Assert.Equal(DeviceFabricErrorCode.ArgumentInvalid, error.Code);
        Assert.Equal(before, (section.Properties.ToJsonString(), section.Metadata.ToJsonString(), section.Version));
    }

    [Fact]
    public void Apply_BeyondTheSizeLimit_IsRefusedWithTooLarge_AndChangesNothing()
    {
        var section = NewSection(limit: 100);
        section.Apply(Json("""{"a":"0123456789"}"""), s_now);
        var error = Assert.Throws<DeviceFabricException>(() => section.Apply(Json($$"""{"b":"{{new string('y', 95)}}"}"""), s_now));
        Assert.Equal(DeviceFabricErrorCode.MessageTooLarge, error.Code);
        Assert.Equal("""{"a":"0123456789"}""", section.Properties.ToJsonString());
        Assert.Equal(2, section.Version);
    }

    [Fact]
    public void NestingOfTenLevels_IsAccepted()
    {
        var section = NewSection();
        section.Apply(Json("""{"a":{"b":{"c":{"d":{"e":{"f":{"g":{"h":{"i":{"j":1}}}}}}}}}}"""), s_now);
        Assert.Equal(2, section.Version);
    }

    [Fact]
    public void Size_CountsAsIotHubDoes()
    {
        Assert.Equal(1 + 8 + 1 + 4 + 1 + 3, TwinRules.Size(Json("""{"a":1,"b":true,"c":"xyz"}""")));
    }

    [Fact]
    public void Replace_DropsWhatIsNotGiven()
    {
        var section = NewSection();
        section.Apply(Json("""{"a":1,"b":2}"""), s_now);
        Assert.Equal(3, section.Replace(Json("""{"b":3,"c":{"d":null}}"""), s_now));
        Assert.Equal("""{"b":3,"c":{}}""", section.Properties.ToJsonString());
    }

    [Fact]
    public void ChangesSince_ReturnsChangedTopLevelPropertiesAndRemovals()
    {
        var section = NewSection();
        section.Apply(Json("""{"a":1,"b":{"x":1},"gone":1}"""), s_now);   // version 2
        section.Apply(Json("""{"b":{"y":2},"gone":null}"""), s_now);       // version 3
        var changes = section.ChangesSince(2, new Dictionary<string, long> { ["gone"] = 3 });
        Assert.Equal("""{"b":{"x":1,"y":2},"gone":null,"$version":3}""", changes.ToJsonString());
        Assert.Equal("""{"$version":3}""", section.ChangesSince(3, new Dictionary<string, long> { ["gone"] = 3 }).ToJsonString());
    }
}
