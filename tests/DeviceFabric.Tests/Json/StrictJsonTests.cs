using DeviceFabric.Json;

namespace DeviceFabric.Tests.Json;

/// <summary>The fabric's one JSON reader refuses what lenient parsers accept, and accepts what the twin rules then judge.</summary>
public sealed class StrictJsonTests
{
    [Theory]
    [MemberData(nameof(HostileJson.Cases), MemberType = typeof(HostileJson))]
    public void Hostile_IsRefused_OrLeftToTheTwinRules(string name, int errorCode)
    {
        var bytes = HostileJson.Object(name);
        if (errorCode == 400004 && name is "10^30" or "arrays 11 deep")
        {
            // Valid JSON: the twin rules (integers within ±2^52, ten levels) refuse these, not the reader.
            Assert.NotNull(StrictJson.ParseObject(bytes, "test"));
            return;
        }

        var error = Assert.Throws<DeviceFabricException>(() => StrictJson.ParseObject(bytes, "The patch"));
        Assert.Equal(errorCode, (int)error.Code);
        Assert.StartsWith("The patch", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WellFormedJson_WithEscapesAndPairs_IsAccepted()
    {
        var parsed = StrictJson.ParseObject("""{"s":"\ud83d\ude00 é","n":-1.5e300,"a":[1,{"b":null}]}"""u8, "test");
        Assert.Equal("😀 é", parsed["s"]!.GetValue<string>());
    }

    [Fact]
    public void TextWithALoneSurrogate_IsRefusedBeforeParsing()
    {
        var error = Assert.Throws<DeviceFabricException>(() => StrictJson.ParseObject("{\"s\":\"\ud800\"}", "The twin"));
        Assert.Equal(DeviceFabricErrorCode.MalformedBody, error.Code);
    }

    [Fact]
    public void NestingPastTheLimit_IsRefused()
    {
        var deep = new string('[', 40) + new string(']', 40);
        Assert.Equal(DeviceFabricErrorCode.MalformedBody, Assert.Throws<DeviceFabricException>(() => StrictJson.Validate(System.Text.Encoding.ASCII.GetBytes(deep), "x")).Code);
    }
}
