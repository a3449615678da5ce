using System.Net;
using System.Text;
using System.Text.Json;

namespace DeviceFabric.Tests.Provisioning;

/// <summary>DPS's service API: enrollments written, read, paged, in bulk, guarded by etags, checked, and removed; registration records read and deleted.</summary>
public sealed class ProvisioningServiceApiTests(ProvisioningFixture fixture) : IClassFixture<ProvisioningFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Etags_GuardUpdatesAndDeletes()
    {
        var id = ProvisioningFixture.NewId("etag");
        var first = await fixture.PutAsync($"/enrollments/{id}", """{"attestation":{"type":"symmetricKey"}}""");
        var etag = first.GetProperty("etag").GetString()!;
        using var http = fixture.Service();

        var stale = new HttpRequestMessage(HttpMethod.Put, $"/enrollments/{id}") { Content = Json("""{"attestation":{"type":"symmetricKey"},"provisioningStatus":"disabled"}""") };
        stale.Headers.TryAddWithoutValidation("If-Match", "AAAAAAAAAAk=");
        await AssertErrorAsync(await http.SendAsync(stale, Ct), HttpStatusCode.PreconditionFailed, 412002);

        var current = new HttpRequestMessage(HttpMethod.Put, $"/enrollments/{id}") { Content = Json("""{"attestation":{"type":"symmetricKey"},"provisioningStatus":"disabled"}""") };
        current.Headers.TryAddWithoutValidation("If-Match", etag);
        var updated = await ReadAsync(await http.SendAsync(current, Ct));
        Assert.Equal("disabled", updated.GetProperty("provisioningStatus").GetString());
        Assert.NotEqual(etag, updated.GetProperty("etag").GetString());

        var delete = new HttpRequestMessage(HttpMethod.Delete, $"/enrollments/{id}");
        delete.Headers.TryAddWithoutValidation("If-Match", etag);
        await AssertErrorAsync(await http.SendAsync(delete, Ct), HttpStatusCode.PreconditionFailed, 412002);
        Assert.Equal(HttpStatusCode.NoContent, (await http.DeleteAsync($"/enrollments/{id}", Ct)).StatusCode);
        await AssertErrorAsync(await http.GetAsync($"/enrollments/{id}", Ct), HttpStatusCode.NotFound, 404202);
    }

    [Fact]
    public async Task Bulk_CreatesEach_AndReportsTheOnesThatFail_ThenQueryPagesThemAll()
    {
        var prefix = ProvisioningFixture.NewId("bulk");
        var ids = Enumerable.Range(0, 5).Select(i => $"{prefix}-{i}").ToList();
        var items = string.Join(',', ids.Select(id => """{"registrationId":"ID","attestation":{"type":"symmetricKey"}}""".Replace("ID", id, StringComparison.Ordinal)));
        using var http = fixture.Service();

        var created = await ReadAsync(await http.PostAsync("/enrollments", Json($$"""{"mode":"create","enrollments":[{{items}}]}"""), Ct));
        Assert.True(created.GetProperty("isSuccessful").GetBoolean());
        var again = await ReadAsync(await http.PostAsync("/enrollments", Json("{\"mode\":\"create\",\"enrollments\":[" + items + """,{"registrationId":"BAD ID","attestation":{"type":"symmetricKey"}}]}"""), Ct));
        Assert.False(again.GetProperty("isSuccessful").GetBoolean());
        Assert.Equal(6, again.GetProperty("errors").GetArrayLength());

        var seen = new List<string>();
        string? continuation = null;
        do
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/enrollments/query") { Content = Json("""{"query":"*"}""") };
            request.Headers.TryAddWithoutValidation("x-ms-max-item-count", "2");
            if (continuation is not null)
            {
                request.Headers.TryAddWithoutValidation("x-ms-continuation", continuation);
            }

            var response = await http.SendAsync(request, Ct);
            var page = await ReadAsync(response);
            Assert.InRange(page.GetArrayLength(), 0, 2);
            seen.AddRange(page.EnumerateArray().Select(e => e.GetProperty("registrationId").GetString()!));
            continuation = response.Headers.TryGetValues("x-ms-continuation", out var values) ? values.Single() : null;
        }
        while (continuation is not null);

        Assert.Equal(ids, seen.Where(id => id.StartsWith(prefix, StringComparison.Ordinal)));
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsync("/enrollments", Json($$"""{"mode":"delete","enrollments":[{{items}}]}"""), Ct)).StatusCode);
        await AssertErrorAsync(await http.GetAsync($"/enrollments/{ids[0]}", Ct), HttpStatusCode.NotFound, 404202);
    }

    [Theory]
    [InlineData("/enrollments/UPPER", """{"attestation":{"type":"symmetricKey"}}""")]
    [InlineData("/enrollments/ok-id", """{"attestation":{"type":"symmetricKey","symmetricKey":{"primaryKey":"c2hvcnQ="}}}""")]
    [InlineData("/enrollments/ok-id", """{"attestation":{"type":"tpm"}}""")]
    [InlineData("/enrollments/ok-id", """{"attestation":{"type":"x509","x509":{"clientCertificates":{"primary":{"certificate":"not a certificate"}}}}}""")]
    [InlineData("/enrollments/ok-id", """{"attestation":{"type":"symmetricKey"},"iotHubs":["elsewhere.example"]}""")]
    [InlineData("/enrollments/ok-id", """{"attestation":{"type":"symmetricKey"},"allocationPolicy":"custom"}""")]
    [InlineData("/enrollments/ok-id", """{"attestation":{"type":"symmetricKey"},"initialTwin":{"properties":{"reported":{"a":1}}}}""")]
    [InlineData("/enrollments/ok-id", """{"attestation":{"type":"symmetricKey"},"provisioningStatus":"sleeping"}""")]
    [InlineData("/enrollmentGroups/g1", """{"attestation":{"type":"x509","x509":{"signingCertificates":{"primary":{"certificate":"x"}}}}}""")]
    public async Task BadEnrollments_Are400_AndStoreNothing(string path, string body)
    {
        using var http = fixture.Service();
        await AssertErrorAsync(await http.PutAsync(path, Json(body), Ct), HttpStatusCode.BadRequest, 400004);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(path, Ct)).StatusCode);
    }

    [Fact]
    public async Task Attestation_AndRegistrationRecords_AreReadAndDeleted()
    {
        var id = ProvisioningFixture.NewId("record");
        var enrollment = await fixture.PutAsync($"/enrollments/{id}", """{"attestation":{"type":"symmetricKey"},"iotHubs":["localhost"]}""");
        var key = enrollment.GetProperty("attestation").GetProperty("symmetricKey").GetProperty("primaryKey").GetString()!;
        using var http = fixture.Service();

        var attestation = await ReadAsync(await http.PostAsync($"/enrollments/{id}/attestationmechanism", null, Ct));
        Assert.Equal(key, attestation.GetProperty("symmetricKey").GetProperty("primaryKey").GetString());

        await fixture.RegisterAsync(id, key);
        var record = await ReadAsync(await http.GetAsync($"/registrations/{id}", Ct));
        Assert.Equal("assigned", record.GetProperty("status").GetString());
        var withRecord = await ReadAsync(await http.GetAsync($"/enrollments/{id}", Ct));
        Assert.Equal("assigned", withRecord.GetProperty("registrationState").GetProperty("status").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await http.DeleteAsync($"/registrations/{id}", Ct)).StatusCode);
        await AssertErrorAsync(await http.GetAsync($"/registrations/{id}", Ct), HttpStatusCode.NotFound, 404201);
        Assert.Equal(id, (await fixture.Node.Client.Devices.GetAsync(id, Ct)).DeviceId);
    }

    [Fact]
    public async Task GrainClientSdk_ManagesEnrollmentsAndRecords_AsTheRestApiDoes()
    {
        var provisioning = fixture.Node.Client.Provisioning;
        var id = ProvisioningFixture.NewId("sdk");
        var stored = await provisioning.CreateOrUpdateAsync(new DeviceFabric.Provisioning.Enrollment(
            DeviceFabric.Provisioning.EnrollmentKind.Individual, id, new DeviceFabric.Provisioning.Attestation(DeviceFabric.Provisioning.AttestationType.SymmetricKey), IotHubs: ["localhost"]),
            cancellationToken: Ct);
        Assert.Equal(fixture.IdScope, (await provisioning.GetSettingsAsync(Ct)).IdScope);

        using var http = fixture.Service();
        var viaRest = await ReadAsync(await http.GetAsync($"/enrollments/{id}", Ct));
        Assert.Equal(stored.Attestation.PrimaryKey, viaRest.GetProperty("attestation").GetProperty("symmetricKey").GetProperty("primaryKey").GetString());

        await fixture.RegisterAsync(id, stored.Attestation.PrimaryKey!);
        Assert.Equal(DeviceFabric.Provisioning.RegistrationStatus.Assigned, (await provisioning.GetRegistrationAsync(id, Ct)).Status);
        Assert.Contains(id, await provisioning.ListAsync(DeviceFabric.Provisioning.EnrollmentKind.Individual, after: id[..^1], cancellationToken: Ct));

        await provisioning.DeleteAsync(DeviceFabric.Provisioning.EnrollmentKind.Individual, id, cancellationToken: Ct);
        var missing = await Assert.ThrowsAsync<DeviceFabric.Client.DeviceFabricServiceException>(() => provisioning.GetAsync(DeviceFabric.Provisioning.EnrollmentKind.Individual, id, Ct));
        Assert.Equal(DeviceFabricErrorCode.EnrollmentNotFound, missing.ErrorCode);
    }

    private static async Task AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, int errorCode)
    {
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == status, $"Expected {status}, got {response.StatusCode}: {body}");
        using var json = JsonDocument.Parse(body);
        Assert.Equal(errorCode, json.RootElement.GetProperty("errorCode").GetInt32());
        Assert.False(string.IsNullOrEmpty(json.RootElement.GetProperty("message").GetString()));
    }

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.IsSuccessStatusCode, $"{response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
