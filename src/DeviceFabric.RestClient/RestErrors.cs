using System.Text.Json;
using System.Text.Json.Nodes;

namespace DeviceFabric.RestClient;

/// <summary>Reads the node's three error shapes (IoT Hub's, DPS's, Azure Digital Twins') into one exception.</summary>
internal static class RestErrors
{
    public static FabricRestException From(HttpResponseMessage response, string body)
    {
        var status = (int)response.StatusCode;
        var code = Header(response, "iothub-errorcode") ?? Header(response, "x-ms-error-code");
        string? message = null;
        try
        {
            if (JsonNode.Parse(body) is JsonObject json)
            {
                (code, message) = Read(json, code);
            }
        }
        catch (JsonException)
        {
            message = body.Length > 500 ? body[..500] : body;
        }

        return new FabricRestException(status, code ?? response.StatusCode.ToString(), string.IsNullOrWhiteSpace(message) ? response.ReasonPhrase ?? "refused" : message);
    }

    private static (string? Code, string? Message) Read(JsonObject json, string? code)
    {
        if (json["error"] is JsonObject adt)
        {
            // Azure Digital Twins: {"error":{"code":...,"message":...}}
            return (code ?? Text(adt["code"]), Text(adt["message"]));
        }

        var message = Text(json["Message"]) ?? Text(json["message"]);
        // IoT Hub: "ErrorCode:DeviceNotFound;Device thermostat-1 is not registered."
        if (message is not null && message.StartsWith("ErrorCode:", StringComparison.Ordinal))
        {
            var separator = message.IndexOf(';', StringComparison.Ordinal);
            if (separator > 0)
            {
                return (code ?? message["ErrorCode:".Length..separator], message[(separator + 1)..]);
            }
        }

        return (code ?? Text(json["errorCode"]), message);
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static string? Text(JsonNode? node) => node is JsonValue value ? value.ToString() : null;
}
