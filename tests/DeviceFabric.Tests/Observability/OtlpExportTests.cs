using System.Threading.Channels;
using DeviceFabric.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DeviceFabric.Tests.Observability;

/// <summary>
/// With an OTLP endpoint the node pushes its metrics and traces there (OTLP over HTTP with protobuf bodies, to a
/// receiver that records what arrives, as a collector would).
/// </summary>
public sealed class OtlpExportTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task MetricsAndTraces_ArePushedToTheConfiguredEndpoint()
    {
        var received = Channel.CreateUnbounded<(string Path, string ContentType, long Bytes)>();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var collector = builder.Build();
        collector.MapPost("/v1/{signal}", async (HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            received.Writer.TryWrite((context.Request.Path.Value!, context.Request.ContentType ?? string.Empty, body.Length));
            return Results.Ok();
        });
        await collector.StartAsync(Ct);
        var address = collector.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        await using var node = await TestNode.StartAsync(settings: new Dictionary<string, string?>
        {
            ["DeviceFabric:Observability:OtlpEndpoint"] = address + "/",
            ["DeviceFabric:Observability:OtlpProtocol"] = "http/protobuf",
            ["DeviceFabric:Observability:OtlpExportInterval"] = "00:00:01",
        });
        using var http = node.CreateHttpClient();
        Assert.True((await http.GetAsync("/statistics/devices", Ct)).IsSuccessStatusCode);

        var seen = new HashSet<string>();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        while (seen.Count < 2)
        {
            var (path, contentType, bytes) = await received.Reader.ReadAsync(timeout.Token);
            Assert.Equal("application/x-protobuf", contentType);
            Assert.True(bytes > 0);
            seen.Add(path);
        }

        Assert.Equal(["/v1/metrics", "/v1/traces"], seen.Order());
    }
}
