using System.Net;
using System.Text.Json;

namespace DeviceFabric.Tests.Api;

/// <summary>Checks that a response is IoT Hub's error: status, <c>iothub-errorcode</c> header and the Node SDK's <c>ErrorCode:</c> body.</summary>
internal static class ApiAssert
{
    public static async Task ErrorAsync(HttpResponseMessage response, HttpStatusCode status, string errorName, int errorCode)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {status}, got {response.StatusCode}: {body}");
        Assert.Equal(errorName, Assert.Single(response.Headers.GetValues("iothub-errorcode")));
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(body);
        Assert.StartsWith($"ErrorCode:{errorName};", json.RootElement.GetProperty("Message").GetString(), StringComparison.Ordinal);
        Assert.Equal(errorCode, json.RootElement.GetProperty("errorCode").GetInt32());
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.OK)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {status}, got {response.StatusCode}: {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
