using System.Net.Http.Json;
using System.Text.Json;
using DeviceFabric.Tests.Hostile;
using DeviceFabric.Tests.Infrastructure;

namespace DeviceFabric.Tests.Fuzz;

/// <summary>
/// Every packet of the fuzz corpus, each on a connection of its own, against a running node: each connection ends, the
/// node neither crashes nor keeps a core busy, and the control device is served throughout.
/// </summary>
[Collection(HostileCollection.Name)]
public sealed class MqttFuzzTests(HostileNodeFixture fixture)
{
    private static readonly string s_corpusPath = Path.Combine(RepositoryPaths.Root, "tests", "DeviceFabric.Tests", "Fuzz", MqttFuzzCorpus.FileName);

    [Fact]
    public void Corpus_IsWhatTheGeneratorMakesFromItsSeed()
    {
        var generated = MqttFuzzCorpus.Format(MqttFuzzCorpus.Generate());
        if (Environment.GetEnvironmentVariable("DEVICEFABRIC_WRITE_FUZZ_CORPUS") == "1")
        {
            File.WriteAllText(s_corpusPath, generated);
        }

        Assert.Equal(generated, File.ReadAllText(s_corpusPath));
    }

    [Fact]
    public async Task EveryCase_EndsItsConnection_AndTheNodeStaysWell()
    {
        var node = fixture.Node;
        var key = await RegisterFuzzDeviceAsync();
        var corpus = MqttFuzzCorpus.Parse(await File.ReadAllTextAsync(s_corpusPath, TestContext.Current.CancellationToken));
        fixture.Control.Reset();
        var kept = new List<FuzzCase>();
        var left = new List<FuzzCase>();

        foreach (var fuzz in corpus)
        {
            await using var connection = await RawConnection.ConnectAsync(node, node.PlainPort, tls: false);
            if (fuzz.Phase == "after")
            {
                var token = MqttDevice.Token(MqttFuzzCorpus.DeviceId, key);
                Assert.True(await connection.TrySendAsync(MqttPackets.Connect(MqttFuzzCorpus.DeviceId, MqttDevice.Username(MqttFuzzCorpus.DeviceId), token)));
                var connack = await connection.ReadAsync(4, TimeSpan.FromSeconds(10));
                Assert.True(connack.Length == 4 && connack[3] == 0, $"{fuzz}: CONNACK {Convert.ToHexString(connack)}");
            }

            // A whole violation after CONNECT is the node's to end, long before the keep-alive would: it must close
            // the connection itself. Anything else (cut short, or before CONNECT, where the connect timeout ends it
            // anyway) must let the connection go once our side ends.
            await connection.TrySendAsync(fuzz.Bytes);
            if (MqttFuzzCorpus.NodeMustClose(fuzz))
            {
                if (!await connection.ClosedByServerWithinAsync(TimeSpan.FromSeconds(10)))
                {
                    left.Add(fuzz);
                }

                continue;
            }

            await connection.CloseCleanlyAsync();
            if (!await connection.ClosedByServerWithinAsync(TimeSpan.FromSeconds(10)))
            {
                kept.Add(fuzz);
            }
        }

        Assert.Empty(kept);
        Assert.Empty(left);
        Assert.True(await fixture.BecomesQuietWithinAsync(TimeSpan.FromSeconds(20)), "the node stayed busy after the corpus");
        Assert.True(fixture.Control.IsConnected);
        Assert.Equal(0, fixture.Control.Errors);
    }

    private async Task<string> RegisterFuzzDeviceAsync()
    {
        using var http = HttpsClients.Create(fixture.Node);
        var response = await http.PutAsJsonAsync($"/devices/{MqttFuzzCorpus.DeviceId}", new { }, TestContext.Current.CancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            response = await http.GetAsync($"/devices/{MqttFuzzCorpus.DeviceId}", TestContext.Current.CancellationToken);
        }

        using var device = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return device.RootElement.GetProperty("authentication").GetProperty("symmetricKey").GetProperty("primaryKey").GetString()!;
    }
}
