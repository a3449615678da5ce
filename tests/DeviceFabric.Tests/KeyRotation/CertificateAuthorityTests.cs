using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using DeviceFabric.Devices;
using DeviceFabric.Security;
using DeviceFabric.Tests.Api;
using DeviceFabric.Tests.Infrastructure;
using MQTTnet;

namespace DeviceFabric.Tests.KeyRotation;

/// <summary>
/// CA certificates as IoT Hub has them: uploaded unverified, verified by proof of possession, then trusted for devices
/// with <c>certificateAuthority</c> authentication whose chain (intermediates sent by the device) ends at them and
/// whose leaf's CN is the device id. Everything else is refused with CONNACK 5 and changes nothing.
/// </summary>
public sealed class CertificateAuthorityTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private TestNode Node => fixture.Node;

    [Fact]
    public async Task ProofOfPossession_TakesTheIssuedCodeSignedByTheCa_AndNothingElse()
    {
        using var http = Node.CreateHttpClient();
        using var root = TestAuthority.CreateRoot("Proof Root");
        using var stranger = TestAuthority.CreateRoot("Stranger Root");
        var name = NewName("proof");

        var uploaded = await CaSteps.UploadAsync(http, name, root);
        var properties = uploaded.GetProperty("properties");
        Assert.False(properties.GetProperty("isVerified").GetBoolean());
        Assert.Equal("unverified", properties.GetProperty("status").GetString());
        Assert.Equal(root.Certificate.Thumbprint, properties.GetProperty("thumbprint").GetString());
        Assert.Equal("CN=Proof Root", properties.GetProperty("subject").GetString());
        Assert.Equal(root.Certificate.NotAfter.ToUniversalTime().ToString("r", System.Globalization.CultureInfo.InvariantCulture), properties.GetProperty("expiry").GetString());
        var etag = uploaded.GetProperty("etag").GetString();

        using var withoutEtag = await CaSteps.PostAsync(http, $"/certificates/{name}/generateVerificationCode", etag: null);
        Assert.Equal(HttpStatusCode.BadRequest, withoutEtag.StatusCode);
        using var coded = await CaSteps.PostAsync(http, $"/certificates/{name}/generateVerificationCode", etag);
        var withCode = await coded.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var code = withCode.GetProperty("properties").GetProperty("verificationCode").GetString()!;
        etag = withCode.GetProperty("etag").GetString();

        using var signedByStranger = stranger.Issue(code);
        using var wrongName = root.Issue("not-the-code");
        using var expired = root.Issue(code, DateTimeOffset.UtcNow.AddDays(-3), DateTimeOffset.UtcNow.AddDays(-2));
        foreach (var bad in new[] { signedByStranger, wrongName, expired })
        {
            using var refused = await CaSteps.PostAsync(http, $"/certificates/{name}/verify", etag, new { certificate = bad.ExportCertificatePem() });
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }

        Assert.False((await Node.Client.Security.GetCertificateAsync(name, Ct)).IsVerified);
        using var proof = root.Issue(code);
        using var verified = await CaSteps.PostAsync(http, $"/certificates/{name}/verify", etag, new { certificate = proof.ExportCertificatePem() });
        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        var info = await Node.Client.Security.GetCertificateAsync(name, Ct);
        Assert.True(info.IsVerified);
        Assert.Null(info.VerificationCode);
        var kinds = (await Node.Client.Security.ListEventsAsync(new SecurityAuditFilter(Subject: name), Ct)).Select(e => e.Kind).ToList();
        Assert.Equal([SecurityAuditKind.CertificateUploaded, SecurityAuditKind.CertificateVerificationCodeIssued, SecurityAuditKind.CertificateVerified], kinds);
    }

    [Fact]
    public async Task BadUploads_AreRefused_WithTheFieldNamed()
    {
        using var http = Node.CreateHttpClient();
        using var root = TestAuthority.CreateRoot("Verified Upload Root");
        using var leaf = root.Issue("not-a-ca");

        var verifiedUpload = await PutRawAsync(http, NewName("preverified"), new { properties = new { certificate = root.Pem, isVerified = true } });
        var notACa = await PutRawAsync(http, NewName("leaf"), new { properties = new { certificate = leaf.ExportCertificatePem() } });
        var garbage = await PutRawAsync(http, NewName("garbage"), new { properties = new { certificate = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----" } });
        var badName = await PutRawAsync(http, "bad%20name", new { properties = new { certificate = root.Pem } });

        Assert.Contains("isVerified", await AssertBadRequestAsync(verifiedUpload));
        Assert.Contains("not a CA", await AssertBadRequestAsync(notACa));
        Assert.Contains("properties.certificate", await AssertBadRequestAsync(garbage));
        await AssertBadRequestAsync(badName);
        Assert.DoesNotContain(await Node.Client.Security.ListCertificatesAsync(Ct), c => c.Subject == "CN=Verified Upload Root");
    }

    [Fact]
    public async Task ACaSignedDevice_ConnectsWithItsIntermediate_AndEveryWrongChainIsRefused()
    {
        Node.Logs.Expect("Refused MQTT connect");
        using var http = Node.CreateHttpClient();
        using var root = TestAuthority.CreateRoot("Fleet Root");
        using var intermediate = root.CreateIntermediate("Fleet Intermediate");
        using var unverifiedRoot = TestAuthority.CreateRoot("Unverified Root");
        await CaSteps.UploadVerifiedAsync(http, NewName("fleet"), root);
        await CaSteps.UploadAsync(http, NewName("unverified"), unverifiedRoot);
        var device = await CreateCaDeviceAsync("ca-device");

        using var good = intermediate.Issue(device.DeviceId);
        await using (var accepted = await ChainDevice.ConnectAsync(Node, device.DeviceId, good, intermediate.Intermediates))
        {
            Assert.True(accepted.Accepted, $"CONNACK {accepted.ReturnCode}");
            Assert.True(await accepted.AnswersPingAsync());
        }

        var other = await CreateCaDeviceAsync("ca-other");
        using var wrongName = intermediate.Issue("someone-else");
        using var fromUnverified = unverifiedRoot.Issue(other.DeviceId);
        using var expired = intermediate.Issue(other.DeviceId, DateTimeOffset.UtcNow.AddDays(-3), DateTimeOffset.UtcNow.AddDays(-2));
        using var notYetValid = intermediate.Issue(other.DeviceId, DateTimeOffset.UtcNow.AddDays(2), DateTimeOffset.UtcNow.AddDays(30));
        using var selfMadeCa = TestAuthority.CreateRoot(other.DeviceId);
        using var selfMade = selfMadeCa.Issue(other.DeviceId);
        using var withoutIntermediate = intermediate.Issue(other.DeviceId);
        var attempts = new (X509Certificate2 Leaf, IReadOnlyList<X509Certificate2> Sent)[]
        {
            (wrongName, intermediate.Intermediates), (fromUnverified, []), (expired, intermediate.Intermediates),
            (notYetValid, intermediate.Intermediates), (selfMade, []), (withoutIntermediate, []),
        };
        foreach (var (leaf, sent) in attempts)
        {
            await using var refused = await ChainDevice.ConnectAsync(Node, other.DeviceId, leaf, sent, LoopbackSources.Unique());
            Assert.Equal(5, refused.ReturnCode);
        }

        var unchanged = await Node.Client.Devices.GetAsync(other.DeviceId, Ct);
        Assert.Equal(DeviceConnectionState.Disconnected, unchanged.ConnectionState);
        Assert.Equal(other.ETag, unchanged.ETag);
    }

    [Fact]
    public async Task ADeviceSignedByTheRoot_ConnectsWithAnOrdinaryMqttClient()
    {
        using var http = Node.CreateHttpClient();
        using var root = TestAuthority.CreateRoot("Direct Root");
        await CaSteps.UploadVerifiedAsync(http, NewName("direct"), root);
        var device = await CreateCaDeviceAsync("ca-direct");
        using var leaf = root.Issue(device.DeviceId);

        var (client, result) = await MqttDevice.ConnectAsync(Node, device.DeviceId, password: null, clientCertificate: leaf);
        using var _ = client;

        Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);
        var ack = await client.PublishStringAsync($"devices/{device.DeviceId}/messages/events/", "{}", MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken: Ct);
        Assert.True(ack.IsSuccess);
    }

    [Fact]
    public async Task RevokingALeafOrItsIntermediate_OrDeletingTheCa_RefusesTheDevice_AndClosesItsSession()
    {
        Node.Logs.Expect("Refused MQTT connect");
        using var http = Node.CreateHttpClient();
        using var root = TestAuthority.CreateRoot("Revocation Root");
        using var intermediate = root.CreateIntermediate("Revocation Intermediate");
        using var otherIntermediate = root.CreateIntermediate("Second Intermediate");
        var caName = NewName("revocation");
        await CaSteps.UploadVerifiedAsync(http, caName, root);
        var byLeaf = await CreateCaDeviceAsync("rev-leaf");
        var bySerial = await CreateCaDeviceAsync("rev-serial");
        var byIntermediate = await CreateCaDeviceAsync("rev-int");
        var byDeletion = await CreateCaDeviceAsync("rev-del");
        using var leafA = intermediate.Issue(byLeaf.DeviceId);
        using var leafB = intermediate.Issue(bySerial.DeviceId);
        using var leafC = otherIntermediate.Issue(byIntermediate.DeviceId);
        using var leafD = intermediate.Issue(byDeletion.DeviceId);
        await using var a = await ChainDevice.ConnectAsync(Node, byLeaf.DeviceId, leafA, intermediate.Intermediates);
        await using var b = await ChainDevice.ConnectAsync(Node, bySerial.DeviceId, leafB, intermediate.Intermediates);
        await using var c = await ChainDevice.ConnectAsync(Node, byIntermediate.DeviceId, leafC, otherIntermediate.Intermediates);
        await using var d = await ChainDevice.ConnectAsync(Node, byDeletion.DeviceId, leafD, intermediate.Intermediates);
        Assert.All(new[] { a, b, c, d }, device => Assert.True(device.Accepted));

        await Node.Client.Security.RevokeAsync(leafA.GetCertHashString(HashAlgorithmName.SHA256), null, "key leaked", Ct);
        Assert.True(await a.ClosedWithinAsync(TimeSpan.FromSeconds(5)));
        Assert.True(await b.AnswersPingAsync());
        using var revokeSerial = await http.PostAsJsonAsync("/certificates/revocations", new { serialNumber = leafB.SerialNumber, reason = "decommissioned" }, Ct);
        Assert.Equal(HttpStatusCode.OK, revokeSerial.StatusCode);
        Assert.True(await b.ClosedWithinAsync(TimeSpan.FromSeconds(5)));
        Assert.True(await c.AnswersPingAsync());
        using var revokeIntermediate = await http.PostAsJsonAsync("/certificates/revocations", new { thumbprint = otherIntermediate.Certificate.Thumbprint, reason = "intermediate compromised" }, Ct);
        Assert.Equal(HttpStatusCode.OK, revokeIntermediate.StatusCode);
        Assert.True(await c.ClosedWithinAsync(TimeSpan.FromSeconds(5)));

        foreach (var (id, leaf, ca) in new[] { (byLeaf.DeviceId, leafA, intermediate), (bySerial.DeviceId, leafB, intermediate), (byIntermediate.DeviceId, leafC, otherIntermediate) })
        {
            await using var again = await ChainDevice.ConnectAsync(Node, id, leaf, ca.Intermediates, LoopbackSources.Unique());
            Assert.Equal(5, again.ReturnCode);
        }

        Assert.True(await d.AnswersPingAsync());
        var current = await Node.Client.Security.GetCertificateAsync(caName, Ct);
        await Node.Client.Security.DeleteCertificateAsync(caName, current.ETag, Ct);
        Assert.True(await d.ClosedWithinAsync(TimeSpan.FromSeconds(5)));
        var listed = await http.GetFromJsonAsync<JsonElement>("/certificates/revocations", Ct);
        Assert.Contains(listed.GetProperty("value").EnumerateArray(), r => r.GetProperty("reason").GetString() == "intermediate compromised");
    }

    [Fact]
    public async Task ALeafWithoutACommonName_IsRefused_ThoughAnotherAttributeNamesTheDevice()
    {
        Node.Logs.Expect("Refused MQTT connect");
        using var http = Node.CreateHttpClient();
        using var root = TestAuthority.CreateRoot("No CN Root");
        await CaSteps.UploadVerifiedAsync(http, NewName("nocn"), root);
        var device = await CreateCaDeviceAsync("nocn");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("OU=" + device.DeviceId, key, HashAlgorithmName.SHA256);
        using var signed = request.Create(root.Certificate, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(10), [0x11, 0x22, 0x33]);
        using var leaf = signed.CopyWithPrivateKey(key);

        await using var refused = await ChainDevice.ConnectAsync(Node, device.DeviceId, leaf, [], LoopbackSources.Unique());

        Assert.Equal(5, refused.ReturnCode);
    }

    [Fact]
    public async Task ASerialRevokedAsOpenSslPrintsIt_WithoutTheSignByte_IsRefused()
    {
        Node.Logs.Expect("Refused MQTT connect");
        using var http = Node.CreateHttpClient();
        using var root = TestAuthority.CreateRoot("Serial Root");
        await CaSteps.UploadVerifiedAsync(http, NewName("serial"), root);
        var device = await CreateCaDeviceAsync("serial");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + device.DeviceId, key, HashAlgorithmName.SHA256);
        using var signed = request.Create(root.Certificate, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(10), [0x00, 0x9A, 0xBC, 0xDE]);
        using var leaf = signed.CopyWithPrivateKey(key);
        Assert.StartsWith("00", leaf.SerialNumber, StringComparison.Ordinal);

        await Node.Client.Security.RevokeAsync(null, leaf.SerialNumber.TrimStart('0').ToLowerInvariant(), "lost", Ct);
        await using var refused = await ChainDevice.ConnectAsync(Node, device.DeviceId, leaf, [], LoopbackSources.Unique());

        Assert.Equal(5, refused.ReturnCode);
    }

    [Theory]
    [InlineData("{\"reason\":\"no certificate named\"}")]
    [InlineData("{\"thumbprint\":\"XYZ\",\"reason\":\"not hex\"}")]
    [InlineData("{\"thumbprint\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\",\"serialNumber\":\"01\",\"reason\":\"both\"}")]
    [InlineData("{\"thumbprint\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"}")]
    public async Task BadRevocations_AreRefused(string body)
    {
        using var http = Node.CreateHttpClient();
        var before = (await Node.Client.Security.ListRevocationsAsync(Ct)).Count;

        using var response = await http.PostAsync("/certificates/revocations", new StringContent(body, System.Text.Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(before, (await Node.Client.Security.ListRevocationsAsync(Ct)).Count);
    }

    private async Task<DeviceIdentity> CreateCaDeviceAsync(string prefix) =>
        await Node.Client.Devices.CreateAsync(NewName(prefix), new DeviceSettings(Authentication: new DeviceAuthentication(DeviceAuthenticationType.CertificateAuthority)), Ct);

    private static async Task<HttpResponseMessage> PutRawAsync(HttpClient http, string name, object body) =>
        await http.PutAsJsonAsync($"/certificates/{name}", body, Ct);

    private static async Task<string> AssertBadRequestAsync(HttpResponseMessage response)
    {
        using (response)
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            return await response.Content.ReadAsStringAsync(Ct);
        }
    }

    private static string NewName(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..20];
}
