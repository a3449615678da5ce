using System.Net;
using System.Text;
using DeviceFabric.Security;

namespace DeviceFabric.Tests.Api;

/// <summary>Every registry request needs a hub policy token with the right; anything else is IoT Hub's 401 and changes nothing.</summary>
public sealed class AuthorizationApiTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private static string NewId() => "auth-" + Guid.NewGuid().ToString("N");

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task MissingToken_Is401()
    {
        using var http = fixture.Node.CreateHttpClient(authorization: null);
        await ApiAssert.ErrorAsync(await http.GetAsync("/devices"), HttpStatusCode.Unauthorized, "IotHubUnauthorizedAccess", 401002);
    }

    [Fact]
    public async Task ForgedToken_Is401AndCreatesNothing()
    {
        fixture.Node.Logs.Expect("Refused a service token");
        var forged = SharedAccessSignature.Create("localhost", SymmetricKeys.Generate(), "iothubowner", DateTimeOffset.UtcNow.AddHours(1));
        using var http = fixture.Node.CreateHttpClient(forged);
        var id = NewId();
        await ApiAssert.ErrorAsync(await http.PutAsync($"/devices/{id}", Json("{}")), HttpStatusCode.Unauthorized, "IotHubUnauthorizedAccess", 401002);

        using var owner = fixture.Node.CreateHttpClient();
        await ApiAssert.ErrorAsync(await owner.GetAsync($"/devices/{id}"), HttpStatusCode.NotFound, "DeviceNotFound", 404001);
    }

    [Fact]
    public async Task TokenScopedToOneDevice_ReachesThatDeviceAndItsTwin_AndNothingElse()
    {
        using var owner = fixture.Node.CreateHttpClient();
        var (sentinel, other) = (NewId(), NewId());
        await ApiAssert.JsonAsync(await owner.PutAsync($"/devices/{sentinel}", Json("{}")));
        await ApiAssert.JsonAsync(await owner.PutAsync($"/devices/{other}", Json("{}")));
        using var scoped = fixture.Node.CreateHttpClient(await fixture.TokenForAsync("iothubowner", resource: $"localhost/devices/{sentinel}"));

        await ApiAssert.JsonAsync(await scoped.GetAsync($"/devices/{sentinel}"));
        await ApiAssert.JsonAsync(await scoped.GetAsync($"/twins/{sentinel}?api-version=2021-04-12"));
        foreach (var outside in new[] { $"/devices/{other}", $"/twins/{other}", "/statistics/devices", "/devices", $"/devices/{sentinel}x" })
        {
            await ApiAssert.ErrorAsync(await scoped.GetAsync(outside), HttpStatusCode.Unauthorized, "IotHubUnauthorizedAccess", 401002);
        }

        var created = NewId();
        await ApiAssert.ErrorAsync(await scoped.PutAsync($"/devices/{created}", Json("{}")), HttpStatusCode.Unauthorized, "IotHubUnauthorizedAccess", 401002);
        await ApiAssert.ErrorAsync(await owner.GetAsync($"/devices/{created}"), HttpStatusCode.NotFound, "DeviceNotFound", 404001);
    }

    [Fact]
    public async Task TokenForADeviceCalledQuery_CannotQueryTheHub()
    {
        using var owner = fixture.Node.CreateHttpClient();
        await owner.PutAsync("/devices/query", Json("{}"));
        using var scoped = fixture.Node.CreateHttpClient(await fixture.TokenForAsync("iothubowner", resource: "localhost/devices/query"));

        await ApiAssert.JsonAsync(await scoped.GetAsync("/twins/query"));
        await ApiAssert.ErrorAsync(
            await scoped.PostAsync("/devices/query?api-version=2021-04-12", Json("""{"query":"SELECT * FROM devices"}""")),
            HttpStatusCode.Unauthorized, "IotHubUnauthorizedAccess", 401002);
        await ApiAssert.JsonAsync(await owner.PostAsync("/devices/query?api-version=2021-04-12", Json("""{"query":"SELECT * FROM devices"}""")));
    }

    [Fact]
    public async Task TokenScope_HostIsCaseInsensitive_DeviceIdIsNot()
    {
        using var owner = fixture.Node.CreateHttpClient();
        var id = NewId();
        await ApiAssert.JsonAsync(await owner.PutAsync($"/devices/{id}", Json("{}")));
        await ApiAssert.JsonAsync(await owner.PutAsync($"/devices/{id.ToUpperInvariant()}", Json("{}")));
        using var scoped = fixture.Node.CreateHttpClient(await fixture.TokenForAsync("iothubowner", resource: $"LOCALHOST/devices/{id}"));

        await ApiAssert.JsonAsync(await scoped.GetAsync($"/devices/{id}"));
        await ApiAssert.ErrorAsync(await scoped.GetAsync($"/devices/{id.ToUpperInvariant()}"), HttpStatusCode.Unauthorized, "IotHubUnauthorizedAccess", 401002);
    }

    [Fact]
    public async Task ExpiredToken_Is401()
    {
        using var http = fixture.Node.CreateHttpClient(await fixture.TokenForAsync("iothubowner", TimeSpan.FromHours(-1)));
        await ApiAssert.ErrorAsync(await http.GetAsync("/devices"), HttpStatusCode.Unauthorized, "IotHubUnauthorizedAccess", 401002);
    }

    [Fact]
    public async Task TokenOfUnknownPolicy_Is401()
    {
        fixture.Node.Logs.Expect("Refused a service token");
        var token = SharedAccessSignature.Create("localhost", SymmetricKeys.Generate(), "nosuchpolicy", DateTimeOffset.UtcNow.AddHours(1));
        using var http = fixture.Node.CreateHttpClient(token);
        await ApiAssert.ErrorAsync(await http.GetAsync("/statistics/devices"), HttpStatusCode.Unauthorized, "IotHubUnauthorizedAccess", 401002);
    }

    [Fact]
    public async Task DeviceKeyToken_IsNotAServiceToken()
    {
        using var owner = fixture.Node.CreateHttpClient();
        var id = NewId();
        var device = await ApiAssert.JsonAsync(await owner.PutAsync($"/devices/{id}", Json("{}")));
        var key = device.GetProperty("authentication").GetProperty("symmetricKey").GetProperty("primaryKey").GetString()!;
        using var http = fixture.Node.CreateHttpClient(SharedAccessSignature.Create($"localhost/devices/{id}", key, null, DateTimeOffset.UtcNow.AddHours(1)));
        await ApiAssert.ErrorAsync(await http.GetAsync($"/devices/{id}"), HttpStatusCode.Unauthorized, "IotHubUnauthorizedAccess", 401002);
    }

    [Fact]
    public async Task RegistryRead_ReadsButCannotWrite()
    {
        using var reader = fixture.Node.CreateHttpClient(await fixture.TokenForAsync("registryRead"));
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/statistics/devices")).StatusCode);

        var id = NewId();
        await ApiAssert.ErrorAsync(await reader.PutAsync($"/devices/{id}", Json("{}")), HttpStatusCode.Unauthorized, "IotHubUnauthorizedAccess", 401002);
        await ApiAssert.ErrorAsync(await reader.GetAsync($"/devices/{id}"), HttpStatusCode.NotFound, "DeviceNotFound", 404001);
    }

    [Fact]
    public async Task RegistryReadWrite_CanCreate_ServiceCannotTouchTheRegistry()
    {
        using var writer = fixture.Node.CreateHttpClient(await fixture.TokenForAsync("registryReadWrite"));
        var id = NewId();
        await ApiAssert.JsonAsync(await writer.PutAsync($"/devices/{id}", Json("{}")));

        using var service = fixture.Node.CreateHttpClient(await fixture.TokenForAsync("service"));
        await ApiAssert.ErrorAsync(await service.GetAsync($"/devices/{id}"), HttpStatusCode.Unauthorized, "IotHubUnauthorizedAccess", 401002);
        using var device = fixture.Node.CreateHttpClient(await fixture.TokenForAsync("device"));
        await ApiAssert.ErrorAsync(await device.DeleteAsync($"/devices/{id}"), HttpStatusCode.Unauthorized, "IotHubUnauthorizedAccess", 401002);
        await ApiAssert.JsonAsync(await writer.GetAsync($"/devices/{id}"));
    }
}
