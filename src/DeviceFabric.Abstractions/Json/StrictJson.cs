using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DeviceFabric.Json;

/// <summary>
/// The one reader of JSON from devices and service callers, stricter than the JSON specification's "should": text that
/// is not well-formed UTF-8, strings with a lone surrogate escape, an object with a key twice, a number beyond an IEEE
/// double, or nesting (arrays count) past the limit is refused whole with a 400 naming the problem. What it returns
/// can be stored and served to any JSON parser.
/// </summary>
public static class StrictJson
{
    /// <summary>Nesting allowed by default: more than any body the fabric defines needs.</summary>
    public const int DefaultMaxDepth = 32;

    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Checks <paramref name="utf8"/>, then parses it; <paramref name="what"/> names it in errors.</summary>
    public static JsonNode? Parse(ReadOnlySpan<byte> utf8, string what, int maxDepth = DefaultMaxDepth)
    {
        Validate(utf8, what, maxDepth);
        try
        {
            return JsonNode.Parse(utf8, documentOptions: new JsonDocumentOptions { MaxDepth = maxDepth, AllowDuplicateProperties = false });
        }
        catch (JsonException ex)
        {
            throw Malformed($"{what} is not valid JSON: {ex.Message}");
        }
    }

    /// <summary>As <see cref="Parse(ReadOnlySpan{byte}, string, int)"/>, for a body that must be an object.</summary>
    public static JsonObject ParseObject(ReadOnlySpan<byte> utf8, string what, int maxDepth = DefaultMaxDepth) =>
        Parse(utf8, what, maxDepth) as JsonObject ?? throw Malformed($"{what} must be a JSON object.");

    /// <summary>As <see cref="ParseObject(ReadOnlySpan{byte}, string, int)"/>, for text (a lone surrogate in it is refused).</summary>
    public static JsonObject ParseObject(string json, string what, int maxDepth = DefaultMaxDepth)
    {
        ArgumentNullException.ThrowIfNull(json);
        return ParseObject(Utf8(json, what), what, maxDepth);
    }

    /// <summary>Text as strict UTF-8: a lone surrogate in the string is refused rather than replaced.</summary>
    public static byte[] Utf8(string text, string what)
    {
        try
        {
            return s_strictUtf8.GetBytes(text);
        }
        catch (EncoderFallbackException)
        {
            throw Malformed($"{what} holds a lone surrogate, which UTF-8 cannot carry.");
        }
    }

    /// <summary>Bytes as text, refusing bytes that are not well-formed UTF-8 rather than replacing them.</summary>
    public static string Text(ReadOnlySpan<byte> utf8, string what)
    {
        try
        {
            return s_strictUtf8.GetString(utf8);
        }
        catch (DecoderFallbackException)
        {
            throw Malformed($"{what} is not well-formed UTF-8.");
        }
    }

    /// <summary>Checks what the parser lets through: UTF-8 and surrogates in every string, the range of every number, the depth.</summary>
    public static void Validate(ReadOnlySpan<byte> utf8, string what, int maxDepth = DefaultMaxDepth)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = maxDepth });
        char[]? buffer = null;
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName or JsonTokenType.String:
                        var length = reader.HasValueSequence ? checked((int)reader.ValueSequence.Length) : reader.ValueSpan.Length;
                        if (buffer is null || buffer.Length < length)
                        {
                            if (buffer is not null)
                            {
                                ArrayPool<char>.Shared.Return(buffer);
                            }

                            buffer = ArrayPool<char>.Shared.Rent(Math.Max(length, 64));
                        }

                        // Transcoding is where the reader checks UTF-8 and surrogate pairs: it throws on either.
                        reader.CopyString(buffer);
                        break;
                    case JsonTokenType.Number when !reader.TryGetDouble(out var number) || !double.IsFinite(number):
                        throw Invalid($"{what} holds a number beyond the range of a double.");
                    default:
                        break;
                }
            }
        }
        catch (JsonException ex)
        {
            throw Malformed($"{what} is not valid JSON: {ex.Message}");
        }
        catch (InvalidOperationException)
        {
            throw Malformed($"{what} holds a string that is not well-formed UTF-8 or has a lone surrogate escape.");
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<char>.Shared.Return(buffer);
            }
        }
    }

    private static DeviceFabricException Malformed(string message) => new(DeviceFabricErrorCode.MalformedBody, message);

    private static DeviceFabricException Invalid(string message) => new(DeviceFabricErrorCode.ArgumentInvalid, message);
}
