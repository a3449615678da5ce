using System.Net;
using System.Text;
using System.Text.Json;
using DeviceFabric.Tests.Provisioning;
using DeviceFabric.Transfers;
using Microsoft.Extensions.DependencyInjection;

namespace DeviceFabric.Tests.Transfers;

/// <summary>Starts transfer jobs over REST as the SDKs do and waits for them through the grain client.</summary>
internal static class TransferApi
{
    public static string Folder(ProvisioningFixture fixture, string name)
    {
        var path = Path.Combine(fixture.Node.DataDirectory, "transfers", name);
        Directory.CreateDirectory(path);
        return path;
    }

    public static string SecondOwnerConnectionString(ProvisioningFixture fixture) =>
        File.ReadAllText(Path.Combine(fixture.Node.DataDirectory, $"owner-connection-string.{ProvisioningFixture.SecondHub}.txt"));

    /// <summary>POSTs <c>/jobs/create</c>; returns the status and body.</summary>
    public static async Task<(HttpStatusCode Status, JsonElement Body)> CreateAsync(HttpClient http, string json, string? targetAuthorization = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/jobs/create?api-version=2021-04-12") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (targetAuthorization is not null)
        {
            request.Headers.Add("x-devicefabric-target-authorization", targetAuthorization);
        }

        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return (response.StatusCode, JsonDocument.Parse(body).RootElement.Clone());
    }

    /// <summary>Starts a job and returns it once it has ended, read back over REST.</summary>
    public static async Task<JsonElement> RunAsync(ProvisioningFixture fixture, HttpClient http, string hub, string json, string? targetAuthorization = null)
    {
        var (status, created) = await CreateAsync(http, json, targetAuthorization);
        Assert.True(status == HttpStatusCode.OK, $"{status}: {created}");
        var jobId = created.GetProperty("jobId").GetString()!;
        var ended = await new DeviceFabric.Client.DeviceFabricClient(fixture.Node.Services.GetRequiredService<IClusterClient>(), hub)
            .Transfers.WaitForEndAsync(jobId, TimeSpan.FromMinutes(2), TestContext.Current.CancellationToken);
        Assert.NotEqual(TransferStatus.Running, ended.Status);
        return await Api.ApiAssert.JsonAsync(await http.GetAsync($"/jobs/{jobId}?api-version=2021-04-12", TestContext.Current.CancellationToken));
    }
}
