using System.Text;

namespace DeviceFabric.Tests.Json;

/// <summary>JSON that a lenient parser lets through and a strict fabric must refuse, each with the error code it gets.</summary>
internal static class HostileJson
{
    public static TheoryData<string, int> Cases() => new()
    {
        { "duplicate key", 400006 },
        { "lone surrogate", 400006 },
        { "invalid UTF-8 in a value", 400006 },
        { "invalid UTF-8 in a key", 400006 },
        { "1e400", 400004 },
        { "-1e400", 400004 },
        { "10^30", 400004 },
        { "arrays 11 deep", 400004 },
    };

    /// <summary>The object of <paramref name="name"/>, as the bytes on the wire.</summary>
    public static byte[] Object(string name) => name switch
    {
        "duplicate key" => Ascii("""{"d":1,"d":2}"""),
        "lone surrogate" => Ascii("""{"s":"\ud800"}"""),
        "invalid UTF-8 in a value" => [.. Ascii("""{"k":"a"""), 0xC3, .. Ascii("\"}")],
        "invalid UTF-8 in a key" => [.. Ascii("{\"k"), 0xFF, .. Ascii("\":1}")],
        "1e400" => Ascii("""{"n":1e400}"""),
        "-1e400" => Ascii("""{"n":-1e400}"""),
        "10^30" => Ascii("""{"n":1000000000000000000000000000000}"""),
        "arrays 11 deep" => Ascii("""{"a":[[[[[[[[[[1]]]]]]]]]]}"""),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    /// <summary>The same, as the tags of a service twin patch.</summary>
    public static byte[] TagsPatch(string name) => [.. Ascii("""{"tags":"""), .. Object(name), .. Ascii("}")];

    private static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);
}
