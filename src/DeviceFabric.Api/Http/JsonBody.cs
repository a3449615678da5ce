using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace DeviceFabric.Api.Http;

/// <summary>Reads a JSON request body with a size cap, answering malformed or oversized bodies with IoT Hub's 400.</summary>
internal static class JsonBody
{
    public static async Task<T> ReadAsync<T>(HttpContext context, JsonTypeInfo<T> typeInfo, long maxBytes)
    {
        if (context.Request.ContentLength > maxBytes)
        {
            throw TooLarge(maxBytes);
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxBytes;
        }

        try
        {
            return await JsonSerializer.DeserializeAsync(context.Request.Body, typeInfo, context.RequestAborted)
                ?? throw new DeviceFabricException(DeviceFabricErrorCode.MalformedBody, "The request body is empty or null.");
        }
        catch (JsonException ex)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.MalformedBody, $"The request body is not valid JSON of the expected shape: {ex.Message}");
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw TooLarge(maxBytes);
        }
    }

    /// <summary>Reads the body as text, up to <paramref name="maxBytes"/>; the caller's grain parses and validates it.</summary>
    public static async Task<string> ReadTextAsync(HttpContext context, long maxBytes) =>
        System.Text.Encoding.UTF8.GetString(await ReadBytesAsync(context, maxBytes));

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
