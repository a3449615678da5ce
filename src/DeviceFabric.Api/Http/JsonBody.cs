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

    private static DeviceFabricException TooLarge(long maxBytes) =>
        new(DeviceFabricErrorCode.MalformedBody, $"The request body is larger than {maxBytes} bytes.");
}
