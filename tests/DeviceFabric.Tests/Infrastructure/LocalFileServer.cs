using System.Net;

namespace DeviceFabric.Tests.Infrastructure;

/// <summary>A plain HTTP server on loopback serving fixed files, as a web server or a blob store would for an import by URL.</summary>
internal sealed class LocalFileServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Dictionary<string, byte[]> _files = new(StringComparer.Ordinal);
    private readonly Task _serving;

    public LocalFileServer()
    {
        Port = FreePort.Next();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _serving = ServeAsync();
    }

    public int Port { get; }

    /// <summary>Serves <paramref name="bytes"/> at <c>/{name}</c> and returns its URL.</summary>
    public string Add(string name, byte[] bytes)
    {
        lock (_files)
        {
            _files["/" + name] = bytes;
        }

        return $"http://127.0.0.1:{Port}/{name}";
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

            byte[]? body;
            lock (_files)
            {
                _files.TryGetValue(context.Request.Url!.AbsolutePath, out body);
            }

            context.Response.StatusCode = body is null ? (int)HttpStatusCode.NotFound : (int)HttpStatusCode.OK;
            if (body is not null)
            {
                context.Response.ContentLength64 = body.Length;
                await context.Response.OutputStream.WriteAsync(body);
            }

            context.Response.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _serving;
    }
}
