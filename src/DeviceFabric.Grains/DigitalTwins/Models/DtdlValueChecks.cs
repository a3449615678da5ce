using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml;

namespace DeviceFabric.DigitalTwins;

/// <summary>Checks a JSON value against a DTDL primitive or geospatial schema, by the schema's name.</summary>
internal static partial class DtdlValueChecks
{
    /// <summary>ADT's limit on a string property value.</summary>
    private const int MaxStringLength = 4096;

    /// <summary>Null when <paramref name="value"/> is a valid <paramref name="kind"/>, else the problem at <paramref name="path"/>.</summary>
    public static string? Check(string kind, JsonNode value, string path)
    {
        var valid = kind switch
        {
            "boolean" => value.GetValueKind() is JsonValueKind.True or JsonValueKind.False,
            "integer" or "long" or "short" or "byte" or "unsignedByte" or "unsignedShort" or "unsignedInteger" or "unsignedLong"
                => Integral(value) is { } integer && InRange(kind, integer),
            "double" => Floating(value) is { } number && double.IsFinite(number),
            "float" => Floating(value) is { } number && Math.Abs(number) <= float.MaxValue,
            "decimal" => value.GetValueKind() == JsonValueKind.Number && AsDecimal(value) is not null,
            "string" => DtdlSyntax.AsString(value) is { Length: <= MaxStringLength },
            "date" => DtdlSyntax.AsString(value) is { } date
                && DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
            "dateTime" => DtdlSyntax.AsString(value) is { } dateTime && DateTimePattern().IsMatch(dateTime)
                && DateTimeOffset.TryParse(dateTime, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _),
            "time" => DtdlSyntax.AsString(value) is { } time && TimePattern().IsMatch(time),
            "duration" => DtdlSyntax.AsString(value) is { } duration && IsDuration(duration),
            "uuid" => DtdlSyntax.AsString(value) is { } uuid && Guid.TryParse(uuid, out _),
            "bytes" => DtdlSyntax.AsString(value) is { } bytes && Convert.TryFromBase64String(bytes, new byte[(bytes.Length * 3 / 4) + 3], out _),
            "point" or "lineString" or "polygon" or "multiPoint" or "multiLineString" or "multiPolygon" => IsGeoJson(kind, value),
            _ => false,
        };
        return valid ? null : $"{path}: expected {Expected(kind)}, got {Describe(value)}";
    }

    /// <summary>How a value reads in an error message: its JSON kind, and the value itself when short.</summary>
    public static string Describe(JsonNode? value)
    {
        if (value is null)
        {
            return "null";
        }

        var kind = value.GetValueKind() switch
        {
            JsonValueKind.Object => "an object",
            JsonValueKind.Array => "an array",
            JsonValueKind.String => "a string",
            JsonValueKind.Number => "a number",
            JsonValueKind.True or JsonValueKind.False => "a boolean",
            _ => "null",
        };
        var text = value.ToJsonString();
        return value is JsonValue && text.Length <= 64 ? $"{kind} {text}" : kind;
    }

    private static string Expected(string kind) => kind switch
    {
        "boolean" => "a boolean",
        "integer" => "an integer (32-bit)",
        "long" => "an integer (64-bit)",
        "short" => "an integer (16-bit)",
        "byte" => "an integer (signed 8-bit)",
        "unsignedByte" => "an integer from 0 to 255",
        "unsignedShort" => "an integer from 0 to 65535",
        "unsignedInteger" => "an integer from 0 to 4294967295",
        "unsignedLong" => "an integer from 0 to 18446744073709551615",
        "double" or "float" or "decimal" => $"a number ({kind})",
        "string" => $"a string of at most {MaxStringLength} characters",
        "date" => "a date (yyyy-MM-dd)",
        "dateTime" => "an ISO 8601 date-time (yyyy-MM-ddTHH:mm:ss[.fff][Z|±hh:mm])",
        "time" => "a time (HH:mm:ss[.fff])",
        "duration" => "an ISO 8601 duration (P...T...)",
        "uuid" => "a UUID string",
        "bytes" => "a base64 string",
        _ => $"a GeoJSON {GeoJsonType(kind)} object with type and coordinates",
    };

    private static decimal? AsDecimal(JsonNode value) =>
        decimal.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : null;

    // Read from the number's text so a value of any backing (parsed or built in code) and any size is judged alike.
    private static decimal? Integral(JsonNode value) =>
        value.GetValueKind() == JsonValueKind.Number && AsDecimal(value) is { } number && number == decimal.Truncate(number) ? number : null;

    private static double? Floating(JsonNode value) =>
        value.GetValueKind() == JsonValueKind.Number
        && double.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            ? number
            : null;

    private static bool InRange(string kind, decimal value) => kind switch
    {
        "integer" => value >= int.MinValue && value <= int.MaxValue,
        "long" => value >= long.MinValue && value <= long.MaxValue,
        "short" => value >= short.MinValue && value <= short.MaxValue,
        "byte" => value >= sbyte.MinValue && value <= sbyte.MaxValue,
        "unsignedByte" => value >= 0 && value <= byte.MaxValue,
        "unsignedShort" => value >= 0 && value <= ushort.MaxValue,
        "unsignedInteger" => value >= 0 && value <= uint.MaxValue,
        _ => value >= 0 && value <= ulong.MaxValue,
    };

    private static bool IsDuration(string text)
    {
        if (!text.StartsWith('P') && !text.StartsWith("-P", StringComparison.Ordinal))
        {
            return false;
        }

        try
        {
            _ = XmlConvert.ToTimeSpan(text);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    private static string GeoJsonType(string kind) => char.ToUpperInvariant(kind[0]) + kind[1..];

    private static bool IsGeoJson(string kind, JsonNode value) =>
        value is JsonObject geometry
        && DtdlSyntax.AsString(geometry["type"]) == GeoJsonType(kind)
        && geometry["coordinates"] is JsonArray;

    [GeneratedRegex(@"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{1,7})?(?:Z|[+-][0-9]{2}:[0-9]{2})?\z", RegexOptions.CultureInvariant)]
    private static partial Regex DateTimePattern();

    [GeneratedRegex(@"^(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\.[0-9]{1,7})?\z", RegexOptions.CultureInvariant)]
    private static partial Regex TimePattern();
}
