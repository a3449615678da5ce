using System.Net;
using System.Text.Json;
using System.Threading.Channels;
using DeviceFabric.Tests.Infrastructure;

namespace DeviceFabric.Tests.Routing;

/// <summary>An HTTP endpoint on loopback that records each POST and answers with the status its script gives next (then 200).</summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Queue<int> _script;
    private readonly Task _serving;

    public WebhookReceiver(params int[] statuses)
    {
        _script = new Queue<int>(statuses);
        Port = FreePort.Next();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _serving = ServeAsync();
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}/hook";

    /// <summary>Every request's body with the status it got.</summary>
    public Channel<(int Status, JsonElement Body)> Requests { get; } = Channel.CreateUnbounded<(int, JsonElement)>();

    /// <summary>When true, every request gets 500.</summary>
    public bool AlwaysFail { get; set; }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _serving;
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            using var body = await JsonDocument.ParseAsync(context.Request.InputStream);
            int status;
            lock (_script)
            {
                status = AlwaysFail ? 500 : _script.Count > 0 ? _script.Dequeue() : 200;
            }

            await Requests.Writer.WriteAsync((status, body.RootElement.Clone()));
            context.Response.StatusCode = status;
            context.Response.Close();
        }
    }
}
