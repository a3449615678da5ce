using System.Net;
using System.Text;
using System.Text.Json;
using DeviceFabric.Tests.Api;

namespace DeviceFabric.Tests.DigitalTwins;

/// <summary>
/// The digital twins API over HTTPS on its own listener: the listeners kept apart, Azure Digital Twins' error shape,
/// preconditions, JSON Patch refusals, and model references.
/// </summary>
public sealed class DigitalTwinsApiTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static StringContent Json(string json, string type = "application/json") => new(json, Encoding.UTF8, type);

    private HttpClient Client(string? authorization = "owner")
    {
        var client = fixture.Node.CreateHttpClient(authorization);
        client.BaseAddress = new Uri($"https://127.0.0.1:{fixture.Node.DigitalTwinsPort}");
        return client;
    }

    private static string Models(string ns) => $$$"""
        [{"@id":"{{{ns}}}:Sensor;1","@type":"Interface","@context":"dtmi:dtdl:context;2","contents":[
           {"@type":"Property","name":"reading","schema":"double"},
           {"@type":"Relationship","name":"feeds","target":"{{{ns}}}:Sensor;1","maxMultiplicity":1}]},
         {"@id":"{{{ns}}}:Probe;1","@type":"Interface","@context":"dtmi:dtdl:context;2","extends":"{{{ns}}}:Sensor;1"}]
        """;

    [Fact]
    public async Task TheListenersAreApart_AndErrorsHaveAzureDigitalTwinsShape()
    {
        using var twins = Client();
        using var hub = fixture.Node.CreateHttpClient();
        Assert.Equal(HttpStatusCode.NotFound, (await twins.GetAsync("/devices", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await hub.GetAsync("/models", Ct)).StatusCode);

        var missing = await twins.GetAsync("/digitaltwins/nobody", Ct);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("DigitalTwinNotFound", missing.Headers.GetValues("x-ms-error-code").Single());
        using var body = JsonDocument.Parse(await missing.Content.ReadAsStringAsync(Ct));
        Assert.Equal("DigitalTwinNotFound", body.RootElement.GetProperty("error").GetProperty("code").GetString());

        using var anonymous = Client(authorization: null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/models", Ct)).StatusCode);
        var bearer = "Bearer " + await fixture.TokenForAsync("registryRead");
        using var reader = Client(bearer);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/models", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await reader.PostAsync("/models", Json("[]"), Ct)).StatusCode);
    }

    [Fact]
    public async Task Preconditions_PatchRefusals_AndModelReferences_AreHonoured()
    {
        using var http = Client();
        var ns = "dtmi:test:n" + Guid.NewGuid().ToString("N")[..8];
        Assert.Equal(HttpStatusCode.Created, (await http.PostAsync("/models", Json(Models(ns)), Ct)).StatusCode);
        var id = "s" + Guid.NewGuid().ToString("N")[..8];
        var twin = "{\"$metadata\":{\"$model\":\"" + ns + ":Probe;1\"},\"reading\":1.5}";
        var created = await http.PutAsync($"/digitaltwins/{id}", Json(twin), Ct);
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var etag = created.Headers.ETag!.ToString();

        using var again = new HttpRequestMessage(HttpMethod.Put, $"/digitaltwins/{id}") { Content = Json(twin) };
        again.Headers.TryAddWithoutValidation("If-None-Match", "*");
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await http.SendAsync(again, Ct)).StatusCode);

        var patched = await http.PatchAsync($"/digitaltwins/{id}", Json("""[{"op":"replace","path":"/reading","value":2.5}]""", "application/json-patch+json"), Ct);
        Assert.Equal(HttpStatusCode.NoContent, patched.StatusCode);
        Assert.NotEqual(etag, patched.Headers.ETag!.ToString());
        using var stale = new HttpRequestMessage(HttpMethod.Patch, $"/digitaltwins/{id}") { Content = Json("""[{"op":"remove","path":"/reading"}]""", "application/json-patch+json") };
        stale.Headers.TryAddWithoutValidation("If-Match", etag);
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await http.SendAsync(stale, Ct)).StatusCode);

        foreach (var patch in new[]
        {
            """[{"op":"move","from":"/a","path":"/b"}]""", """{"op":"add"}""", """[{"op":"replace","path":"/absent","value":1}]""",
            """[{"op":"add","path":"/$etag","value":"forged"}]""", """[{"op":"add","path":"/$dtId","value":"other"}]""",
        })
        {
            var refused = await http.PatchAsync($"/digitaltwins/{id}", Json(patch, "application/json-patch+json"), Ct);
            Assert.Equal("JsonPatchInvalid", refused.Headers.GetValues("x-ms-error-code").Single());
        }

        var reading = JsonDocument.Parse(await http.GetStringAsync($"/digitaltwins/{id}", Ct)).RootElement.GetProperty("reading").GetDouble();
        Assert.Equal(2.5, reading);
        var inUse = await http.DeleteAsync($"/models/{Uri.EscapeDataString(ns + ":Sensor;1")}", Ct);
        Assert.Equal(HttpStatusCode.Conflict, inUse.StatusCode);
        Assert.Equal("ModelReferencesNotDeleted", inUse.Headers.GetValues("x-ms-error-code").Single());
        var badDecommission = await http.PatchAsync($"/models/{Uri.EscapeDataString(ns + ":Probe;1")}",
            Json("""[{"op":"replace","path":"/displayName","value":"x"}]""", "application/json-patch+json"), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, badDecommission.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await http.DeleteAsync($"/digitaltwins/{id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await http.DeleteAsync($"/models/{Uri.EscapeDataString(ns + ":Probe;1")}", Ct)).StatusCode);
    }

    [Fact]
    public async Task AJsonPatch_AppendsInsertsAndRemovesArrayElements_OfAVersion3ArrayProperty()
    {
        using var http = Client();
        var ns = "dtmi:test:a" + Guid.NewGuid().ToString("N")[..8];
        var model = "[{\"@id\":\"" + ns + ":Tagged;1\",\"@type\":\"Interface\",\"@context\":\"dtmi:dtdl:context;3\",\"contents\":["
            + "{\"@type\":\"Property\",\"name\":\"labels\",\"schema\":{\"@type\":\"Array\",\"elementSchema\":\"string\"}}]}]";
        Assert.Equal(HttpStatusCode.Created, (await http.PostAsync("/models", Json(model), Ct)).StatusCode);
        var id = "t" + Guid.NewGuid().ToString("N")[..8];
        Assert.Equal(HttpStatusCode.OK, (await http.PutAsync($"/digitaltwins/{id}", Json("{\"$metadata\":{\"$model\":\"" + ns + ":Tagged;1\"},\"labels\":[\"a\",\"c\"]}"), Ct)).StatusCode);
        var patch = """[{"op":"add","path":"/labels/-","value":"d"},{"op":"add","path":"/labels/1","value":"b"},{"op":"remove","path":"/labels/0"}]""";
        Assert.Equal(HttpStatusCode.NoContent, (await http.PatchAsync($"/digitaltwins/{id}", Json(patch, "application/json-patch+json"), Ct)).StatusCode);
        var labels = JsonDocument.Parse(await http.GetStringAsync($"/digitaltwins/{id}", Ct)).RootElement.GetProperty("labels").EnumerateArray().Select(l => l.GetString()).ToList();
        Assert.Equal(["b", "c", "d"], labels);
        var wrong = await http.PatchAsync($"/digitaltwins/{id}", Json("""[{"op":"add","path":"/labels/-","value":5}]""", "application/json-patch+json"), Ct);
        Assert.Equal("ValidationFailed", wrong.Headers.GetValues("x-ms-error-code").Single());
    }
}
