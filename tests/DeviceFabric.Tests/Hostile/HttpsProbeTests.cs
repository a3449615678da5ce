using System.Text;
using DeviceFabric.Tests.Infrastructure;

namespace DeviceFabric.Tests.Hostile;

/// <summary>
/// The HTTPS side under the same kind of probes as MQTT: a body over the endpoint's limit is refused before it is read,
/// oversized headers and request lines are refused, and a client that sends its headers too slowly is cut off.
/// </summary>
public sealed class HttpsProbeTests : IAsyncLifetime
{
    private static readonly TimeSpan s_within = TimeSpan.FromSeconds(10);
    private TestNode _node = null!;

    public async ValueTask InitializeAsync() =>
        _node = await TestNode.StartAsync(settings: new Dictionary<string, string?> { ["DeviceFabric:Node:RequestHeadersTimeout"] = "00:00:02" });

    public async ValueTask DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task BodyAnnouncedOverTheLimit_IsRefusedBeforeItIsSent()
    {
        await using var client = await RawConnection.ConnectAsync(_node, _node.BaseAddress.Port);
        var token = ServiceToken.FromConnectionString(_node.OwnerConnectionString);
        Assert.True(await client.TrySendAsync(Ascii(
            $"PUT /devices/huge HTTP/1.1\r\nHost: localhost\r\nAuthorization: {token}\r\nContent-Type: application/json\r\nContent-Length: 500000000\r\n\r\n")));

        var answer = Encoding.ASCII.GetString(await client.ReadAsync(12, s_within));

        Assert.Equal("HTTP/1.1 400", answer);
    }

    [Fact]
    public async Task ChunkedBodyPastTheLimit_IsCutOff_WithoutReadingTheRest()
    {
        await using var client = await RawConnection.ConnectAsync(_node, _node.BaseAddress.Port);
        var token = ServiceToken.FromConnectionString(_node.OwnerConnectionString);
        Assert.True(await client.TrySendAsync(Ascii(
            $"PUT /devices/endless HTTP/1.1\r\nHost: localhost\r\nAuthorization: {token}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")));
        var chunk = Ascii($"{64 * 1024:X}\r\n{new string(' ', 64 * 1024)}\r\n");

        // The body never ends: the node must answer and close without reading it all.
        var sent = 0;
        var sending = Task.Run(async () =>
        {
            while (sent < 4096 && await client.TrySendAsync(chunk))
            {
                sent++;
            }
        });
        var answer = Encoding.ASCII.GetString(await client.ReadAsync(12, s_within));

        Assert.Equal("HTTP/1.1 400", answer);
        Assert.True(await client.ClosedByServerWithinAsync(s_within), "the node kept reading the endless body");
        await sending.WaitAsync(s_within);
        Assert.True(sent < 256, $"{sent} chunks of 64 KB were taken");
    }

    [Theory]
    [InlineData("header")]
    [InlineData("request line")]
    public async Task OversizedHeadersOrRequestLine_AreRefused(string what)
    {
        await using var client = await RawConnection.ConnectAsync(_node, _node.BaseAddress.Port);
        var request = what == "header"
            ? $"GET /devices HTTP/1.1\r\nHost: localhost\r\nX-Filler: {new string('x', 64 * 1024)}\r\n\r\n"
            : $"GET /devices?{new string('q', 16 * 1024)} HTTP/1.1\r\nHost: localhost\r\n\r\n";
        await client.TrySendAsync(Ascii(request));

        var answer = Encoding.ASCII.GetString(await client.ReadAsync(12, s_within));

        Assert.Equal(what == "header" ? "HTTP/1.1 431" : "HTTP/1.1 414", answer);
    }

    [Fact]
    public async Task HeadersSentTooSlowly_AreCutOff()
    {
        await using var client = await RawConnection.ConnectAsync(_node, _node.BaseAddress.Port);
        Assert.True(await client.TrySendAsync(Ascii("GET /devices HTTP/1.1\r\nHost: local")));

        Assert.True(await client.ClosedByServerWithinAsync(s_within), "a request whose headers never finish was kept open");
    }

    private static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);
}
