using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DeviceFabric.Twins;

/// <summary>
/// IoT Hub's twin rules: keys without <c>.</c>, <c>$</c>, spaces or control characters and at most 1 KB; nesting at most
/// 10 levels; strings at most 4 KB; integers within ±2^52; tags 8 KB and each property section 32 KB, counted as IoT Hub
/// counts (key bytes plus values, strings by characters, numbers 8 bytes, booleans 4).
/// </summary>
internal static class TwinRules
{
    public const int MaxDepth = 10;
    public const int TagsMaxBytes = 8 * 1024;
    public const int PropertiesMaxBytes = 32 * 1024;
    public const int MaxKeyBytes = 1024;
    public const int MaxStringChars = 4 * 1024;
    private const long MinInteger = -4503599627370496;
    private const long MaxInteger = 4503599627370495;

    /// <summary>Checks a patch's keys, values and depth; <c>null</c> values (removals) are allowed.</summary>
    public static void ValidatePatch(JsonObject patch, string section) => ValidateObject(patch, section, 1);

    /// <summary>Checks a section's size after a change; the whole change is refused when it is too big.</summary>
    public static void ValidateSize(JsonObject properties, int limit, string section)
    {
        var size = Size(properties);
        if (size > limit)
        {
            throw new DeviceFabricException(
                DeviceFabricErrorCode.MessageTooLarge, $"{section} would be {size} bytes, over the limit of {limit}.");
        }
    }

    public static long Size(JsonNode? node) => node switch
    {
        JsonObject o => o.Sum(p => Encoding.UTF8.GetByteCount(p.Key) + Size(p.Value)),
        JsonArray a => a.Sum(Size),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>().Count(c => !char.IsControl(c)),
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => 4,
        JsonValue => 8,
        _ => 0,
    };

    private static void ValidateObject(JsonObject value, string path, int depth)
    {
        if (depth > MaxDepth)
        {
            throw Invalid($"{path} is nested deeper than {MaxDepth} levels.");
        }

        foreach (var (key, child) in value)
        {
            ValidateKey(key, path);
            ValidateValue(child, $"{path}.{key}", depth);
        }
    }

    private static void ValidateValue(JsonNode? value, string path, int depth)
    {
        switch (value)
        {
            case null:
                break;
            case JsonObject o:
                ValidateObject(o, path, depth + 1);
                break;
            case JsonArray a:
                // An array is a level of nesting as an object is: [[[...]]] counts as deep as {"a":{"b":{...}}}.
                if (depth + 1 > MaxDepth)
                {
                    throw Invalid($"{path} is nested deeper than {MaxDepth} levels.");
                }

                foreach (var item in a)
                {
                    if (item is null)
                    {
                        throw Invalid($"{path} holds a null inside an array.");
                    }

                    ValidateValue(item, path + "[]", depth + 1);
                }

                break;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                if (v.GetValue<string>().Length > MaxStringChars)
                {
                    throw Invalid($"{path} is a string longer than {MaxStringChars} characters.");
                }

                break;
            case JsonValue v when v.GetValueKind() == JsonValueKind.Number:
                if (IsIntegerLiteral(v) && !(TryGetInteger(v, out var integer) && integer >= MinInteger && integer <= MaxInteger))
                {
                    throw Invalid($"{path} is an integer outside ±2^52.");
                }

                break;
            default:
                break;
        }
    }

    /// <summary>
    /// The integer a value holds, whether parsed (a JSON element) or built in code (an <c>int</c> value does not read
    /// as a <c>long</c>).
    /// </summary>
    private static bool TryGetInteger(JsonValue value, out long integer)
    {
        if (value.TryGetValue(out integer))
        {
            return true;
        }

        var small = value.TryGetValue<int>(out var i);
        integer = i;
        return small;
    }

    /// <summary>Whether a number is written as an integer (no fraction, no exponent), whatever its size.</summary>
    private static bool IsIntegerLiteral(JsonValue value) =>
        value.TryGetValue<JsonElement>(out var element)
            ? element.GetRawText().AsSpan().IndexOfAny('.', 'e', 'E') < 0
            : value.TryGetValue<long>(out _) || value.TryGetValue<int>(out _);

    private static void ValidateKey(string key, string path)
    {
        if (key.Length == 0 || Encoding.UTF8.GetByteCount(key) > MaxKeyBytes)
        {
            throw Invalid($"A key under {path} is empty or longer than {MaxKeyBytes} bytes.");
        }

        foreach (var c in key)
        {
            if (c is '.' or '$' or ' ' || char.IsControl(c))
            {
                throw Invalid($"Key '{key}' under {path} contains '.', '$', a space or a control character.");
            }
        }
    }

    private static DeviceFabricException Invalid(string message) => new(DeviceFabricErrorCode.ArgumentInvalid, message);
}
