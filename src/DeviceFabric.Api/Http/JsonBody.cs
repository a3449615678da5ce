using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using DeviceFabric.Json;
using Microsoft.AspNetCore.Http;

namespace DeviceFabric.Api.Http;

/// <summary>Reads request bodies with a size cap and the fabric's strict JSON reader, answering malformed or oversized ones with IoT Hub's 400.</summary>
internal static class JsonBody
{
    public static async Task<T> ReadAsync<T>(HttpContext context, JsonTypeInfo<T> typeInfo, long maxBytes)
    {
        var bytes = await ReadBytesAsync(context, maxBytes);
        StrictJson.Validate(bytes, "The request body");
        try
        {
            return JsonSerializer.Deserialize(bytes, typeInfo)
                ?? throw new DeviceFabricException(DeviceFabricErrorCode.MalformedBody, "The request body is empty or null.");
        }
        catch (JsonException ex)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.MalformedBody, $"The request body is not valid JSON of the expected shape: {ex.Message}");
        }
    }

    /// <summary>Reads the body as text, up to <paramref name="maxBytes"/>, refusing bytes that are not UTF-8; the caller's grain parses it.</summary>
    public static async Task<string> ReadTextAsync(HttpContext context, long maxBytes) =>
        StrictJson.Text(await ReadBytesAsync(context, maxBytes), "The request body");

    /// <summary>Reads the raw body, up to <paramref name="maxBytes"/>.</summary>
    public static async Task<byte[]> ReadBytesAsync(HttpContext context, long maxBytes)
    {
        if (context.Request.ContentLength > maxBytes)
        {
            throw TooLarge(maxBytes);
        }

        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        int read;
        while ((read = await context.Request.Body.ReadAsync(buffer.GetMemory(16 * 1024), context.RequestAborted)) > 0)
        {
            if (buffer.WrittenCount + read > maxBytes)
            {
                throw TooLarge(maxBytes);
            }

            buffer.Advance(read);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static DeviceFabricException TooLarge(long maxBytes) =>
        new(DeviceFabricErrorCode.MalformedBody, $"The request body is larger than {maxBytes} bytes.");
}
