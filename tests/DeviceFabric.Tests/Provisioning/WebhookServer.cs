using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DeviceFabric.Tests.Provisioning;

/// <summary>A real HTTP server on loopback standing in for a custom allocation webhook: it records each request and answers as told.</summary>
internal sealed class WebhookServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Channel<JsonElement> _requests = Channel.CreateUnbounded<JsonElement>();

    private WebhookServer(WebApplication app) => _app = app;

    /// <summary>The webhook's URL.</summary>
    public string Url { get; private set; } = string.Empty;

    /// <summary>Answers the next requests; set by the test before the device registers.</summary>
    public Func<JsonElement, Task<IResult>> Answer { get; set; } = _ => Task.FromResult(Results.StatusCode(500));

    public static async Task<WebhookServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new WebhookServer(app);
        app.MapPost("/allocate", async (HttpContext context) =>
        {
            var request = (await JsonDocument.ParseAsync(context.Request.Body)).RootElement.Clone();
            server._requests.Writer.TryWrite(request);
            return await server.Answer(request);
        });
        await app.StartAsync(TestContext.Current.CancellationToken);
        server.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/allocate?code=secret";
        return server;
    }

    /// <summary>The next request the webhook received.</summary>
    public async Task<JsonElement> NextRequestAsync()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(20));
        return await _requests.Reader.ReadAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
