using System.Net;
using System.Text;
using System.Text.Json;
using DeviceFabric.Tests.Infrastructure;

namespace DeviceFabric.Tests.Durability;

/// <summary>Models, twins and relationships acknowledged before a hard kill are there after it, and queries still find them.</summary>
public sealed class DigitalTwinsHardKillTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static HttpClient Twins(SiloProcess silo)
    {
        var client = HttpsClients.Create(silo);
        client.BaseAddress = new Uri($"https://localhost:{silo.DigitalTwinsPort}");
        return client;
    }

    [Fact]
    public async Task TwinsAndRelationships_AcknowledgedBeforeAHardKill_SurviveIt_AndTheGraphStillAnswersQueries()
    {
        var data = TestNode.NewDataDirectory();
        var ns = "dtmi:kill:k" + Guid.NewGuid().ToString("N")[..8];
        var models = "[{\"@id\":\"" + ns + ":Node;1\",\"@type\":\"Interface\",\"@context\":\"dtmi:dtdl:context;3\",\"contents\":["
            + "{\"@type\":\"Property\",\"name\":\"level\",\"schema\":\"integer\"},{\"@type\":\"Relationship\",\"name\":\"next\"}]}]";
        const int Count = 40;
        await using (var silo = await SiloProcess.StartAsync(data))
        {
            using var http = Twins(silo);
            Assert.Equal(HttpStatusCode.Created, (await http.PostAsync("/models", Json(models), Ct)).StatusCode);
            for (var i = 0; i < Count; i++)
            {
                var put = await http.PutAsync($"/digitaltwins/n{i}", Json("{\"$metadata\":{\"$model\":\"" + ns + ":Node;1\"},\"level\":" + i + "}"), Ct);
                Assert.Equal(HttpStatusCode.OK, put.StatusCode);
                if (i > 0)
                {
                    var link = await http.PutAsync($"/digitaltwins/n{i - 1}/relationships/to{i}", Json("{\"$targetId\":\"n" + i + "\",\"$relationshipName\":\"next\"}"), Ct);
                    Assert.Equal(HttpStatusCode.OK, link.StatusCode);
                }
            }

            silo.Kill();
        }

        await using (var silo = await SiloProcess.StartAsync(data))
        {
            using var http = Twins(silo);
            var last = JsonDocument.Parse(await http.GetStringAsync($"/digitaltwins/n{Count - 1}", Ct)).RootElement;
            Assert.Equal(Count - 1, last.GetProperty("level").GetInt32());
            var incoming = JsonDocument.Parse(await http.GetStringAsync($"/digitaltwins/n{Count - 1}/incomingrelationships", Ct)).RootElement;
            Assert.Equal($"n{Count - 2}", incoming.GetProperty("value")[0].GetProperty("$sourceId").GetString());

            var count = await QueryAsync(http, $"SELECT COUNT() FROM DIGITALTWINS WHERE IS_OF_MODEL('{ns}:Node;1')");
            Assert.Equal(Count, count[0].GetProperty("COUNT").GetInt32());
            var far = await QueryAsync(http, "SELECT Z FROM DIGITALTWINS MATCH (A)-[:next*3]->(Z) WHERE A.$dtId = 'n0'");
            Assert.Equal("n3", far.Single().GetProperty("Z").GetProperty("$dtId").GetString());
            var inUse = await http.DeleteAsync($"/models/{Uri.EscapeDataString(ns + ":Node;1")}", Ct);
            Assert.Equal(HttpStatusCode.Conflict, inUse.StatusCode);
        }
    }

    private static async Task<List<JsonElement>> QueryAsync(HttpClient http, string query)
    {
        var response = await http.PostAsync("/query", Json(JsonSerializer.Serialize(new { query })), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("value").EnumerateArray().Select(e => e.Clone())];
    }
}
