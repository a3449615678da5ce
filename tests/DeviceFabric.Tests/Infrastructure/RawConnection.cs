using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace DeviceFabric.Tests.Infrastructure;

/// <summary>
/// A socket that speaks bytes, not a protocol: for probes that send what no well-behaved MQTT or HTTP client would
/// (oversized headers, half packets, invalid topics, slow requests) over TLS or plain TCP, optionally from a chosen
/// loopback source address.
/// </summary>
internal sealed class RawConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly Stream _stream;

    private RawConnection(Socket socket, Stream stream)
    {
        _socket = socket;
        _stream = stream;
    }

    /// <summary>Connects to <paramref name="port"/> on loopback (TLS unless <paramref name="tls"/> is false), from <paramref name="source"/> if given.</summary>
    /// <remarks>With <paramref name="clientCertificate"/>, TLS presents it with the intermediates of its context, as a device with a CA-signed certificate does.</remarks>
    public static async Task<RawConnection> ConnectAsync(INodeEndpoints node, int port, bool tls = true, IPAddress? source = null, SslStreamCertificateContext? clientCertificate = null)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        if (source is not null)
        {
            socket.Bind(new IPEndPoint(source, 0));
        }

        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), TestContext.Current.CancellationToken);
        Stream stream = new NetworkStream(socket, ownsSocket: false);
        if (tls)
        {
            var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
            using var ca = X509CertificateLoader.LoadCertificateFromFile(node.CaPath);
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "localhost",
                ClientCertificateContext = clientCertificate,
                RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null && TrustedBy(ca, certificate),
            }, TestContext.Current.CancellationToken);
            stream = ssl;
        }

        return new RawConnection(socket, stream);
    }

    /// <summary>Sends bytes; false once the server has closed the connection.</summary>
    public async Task<bool> TrySendAsync(ReadOnlyMemory<byte> bytes)
    {
        try
        {
            await _stream.WriteAsync(bytes, TestContext.Current.CancellationToken);
            await _stream.FlushAsync(TestContext.Current.CancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            return false;
        }
    }

    /// <summary>Reads up to <paramref name="count"/> bytes the server sent, waiting at most <paramref name="timeout"/>; fewer if it closed.</summary>
    public async Task<byte[]> ReadAsync(int count, TimeSpan timeout)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cancel.CancelAfter(timeout);
        var buffer = new byte[count];
        var read = 0;
        try
        {
            while (read < count)
            {
                var n = await _stream.ReadAsync(buffer.AsMemory(read), cancel.Token);
                if (n == 0)
                {
                    break;
                }

                read += n;
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException)
        {
        }

        return buffer[..read];
    }

    /// <summary>Whether the server closes the connection within <paramref name="timeout"/> (anything it sends first is read and dropped).</summary>
    public async Task<bool> ClosedByServerWithinAsync(TimeSpan timeout)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cancel.CancelAfter(timeout);
        var buffer = new byte[4096];
        try
        {
            while (await _stream.ReadAsync(buffer, cancel.Token) > 0)
            {
            }

            return true;
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            return false;
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            return true;
        }
    }

    /// <summary>Closes our side cleanly, as a client that leaves does: TLS close_notify, then TCP FIN.</summary>
    public async Task CloseCleanlyAsync()
    {
        try
        {
            if (_stream is SslStream ssl)
            {
                await ssl.ShutdownAsync();
            }

            _socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _socket.Dispose();
    }

    private static bool TrustedBy(X509Certificate2 ca, X509Certificate certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
    }
}
