using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DeviceFabric.Security;
using DeviceFabric.Tests.Infrastructure;
using DeviceFabric.Tests.KeyRotation;

namespace DeviceFabric.Tests.Durability;

/// <summary>
/// Credentials changes are acknowledged only once stored: after a hard kill, a rolled-over policy key is still dead, a
/// verified CA still verified, a revocation still listed, and the audit history still holds them.
/// </summary>
public sealed class KeyRotationHardKillTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Rollovers_Verifications_AndRevocations_AcknowledgedBeforeAHardKill_HoldAfterRestart()
    {
        var data = TestNode.NewDataDirectory();
        using var root = TestAuthority.CreateRoot("Durable Root");
        var revoked = new string('C', 64);
        string oldServiceToken;

        await using (var silo = await SiloProcess.StartAsync(data))
        {
            using var http = HttpsClients.Create(silo);
            var policies = await http.GetFromJsonAsync<JsonElement>("/policies", Ct);
            var service = policies.GetProperty("value").EnumerateArray().Single(p => p.GetProperty("keyName").GetString() == "service");
            oldServiceToken = SharedAccessSignature.Create("localhost", service.GetProperty("primaryKey").GetString()!, "service", DateTimeOffset.UtcNow.AddHours(1));
            using var rolled = await http.PostAsJsonAsync("/policies/service/regenerateKey", new { keyType = "primary" }, Ct);
            Assert.Equal(HttpStatusCode.OK, rolled.StatusCode);
            await CaSteps.UploadVerifiedAsync(http, "durable-root", root);
            using var revocation = await http.PostAsJsonAsync("/certificates/revocations", new { thumbprint = revoked, reason = "stolen" }, Ct);
            Assert.Equal(HttpStatusCode.OK, revocation.StatusCode);
            silo.Kill();
        }

        await using (var silo = await SiloProcess.StartAsync(data))
        {
            silo.Logs.Expect("Refused a service token");
            using var http = HttpsClients.Create(silo);
            using var withOldKey = HttpsClients.Create(silo, oldServiceToken);
            Assert.Equal(HttpStatusCode.Unauthorized, (await withOldKey.PostAsync("/devices/query", JsonContent.Create(new { query = "SELECT * FROM devices" }), Ct)).StatusCode);
            var ca = await http.GetFromJsonAsync<JsonElement>("/certificates/durable-root", Ct);
            Assert.True(ca.GetProperty("properties").GetProperty("isVerified").GetBoolean());
            var revocations = await http.GetFromJsonAsync<JsonElement>("/certificates/revocations", Ct);
            Assert.Contains(revocations.GetProperty("value").EnumerateArray(), r => r.GetProperty("thumbprint").GetString() == revoked);
            var events = await http.GetFromJsonAsync<JsonElement>("/security/events", Ct);
            var kinds = events.GetProperty("value").EnumerateArray().Select(e => e.GetProperty("kind").GetString()).ToList();
            Assert.Equal(["policyKeyRegenerated", "certificateUploaded", "certificateVerificationCodeIssued", "certificateVerified", "certificateRevoked"], kinds);
        }
    }
}
