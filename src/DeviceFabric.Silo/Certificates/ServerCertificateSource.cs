using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace DeviceFabric.Silo.Certificates;

/// <summary>
/// The node's server certificate, read again when its certificate or key file changes, so operators replace it (from
/// their own CA or an ACME client) without a restart: each TLS handshake takes the current one, and connections made
/// before keep theirs. A change that does not load (a half-written file, a key that does not match) keeps the
/// certificate in use, and loading is tried again at the next change or handshake.
/// </summary>
internal sealed partial class ServerCertificateSource : DeviceFabric.Security.IServerCertificate, IDisposable
{
    private readonly string _certificatePath;
    private readonly string _keyPath;
    private readonly FileSystemWatcher? _watcher;
    private readonly ILogger<ServerCertificateSource> _logger;
    private readonly Lock _reloading = new();
    private volatile Loaded _current;
    private volatile bool _changed;

    public ServerCertificateSource(string certificatePath, string keyPath, X509Certificate2 initial, ILogger<ServerCertificateSource> logger)
    {
        _certificatePath = Path.GetFullPath(certificatePath);
        _keyPath = Path.GetFullPath(keyPath);
        _logger = logger;
        _current = new Loaded(initial, SslStreamCertificateContext.Create(initial, additionalCertificates: null, offline: true), Stamp());
        var directory = Path.GetDirectoryName(_certificatePath);
        if (directory is not null && Directory.Exists(directory))
        {
            _watcher = new FileSystemWatcher(directory) { NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size | NotifyFilters.CreationTime };
            _watcher.Changed += (_, _) => _changed = true;
            _watcher.Created += (_, _) => _changed = true;
            _watcher.Renamed += (_, _) => _changed = true;
            _watcher.EnableRaisingEvents = true;
        }
    }

    /// <summary>The certificate new connections get.</summary>
    public X509Certificate2 Certificate => Load().Certificate;

    /// <summary>The certificate with its chain, for SslStream.</summary>
    public SslStreamCertificateContext Context => Load().Context;

    /// <summary>The identity of the certificate new connections get.</summary>
    public DeviceFabric.Security.CertificateIdentity Current => Load().Identity;

    private Loaded Load()
    {
        // Without a watcher (or if it missed an event) the files' stamps still tell a change, checked on each handshake.
        if (_changed || _watcher is null)
        {
            TryReload();
        }

        return _current;
    }

    private void TryReload()
    {
        lock (_reloading)
        {
            _changed = false;
            var stamp = Stamp();
            if (stamp == _current.Stamp)
            {
                return;
            }

            try
            {
                var certificate = DevelopmentCertificates.LoadWithKey(_certificatePath, _keyPath);
                _current = new Loaded(certificate, SslStreamCertificateContext.Create(certificate, additionalCertificates: null, offline: true), stamp);
                LogReloaded(_logger, certificate.Subject, certificate.Thumbprint, certificate.NotAfter.ToUniversalTime());
            }
            catch (Exception ex) when (ex is CryptographicException or IOException or ArgumentException)
            {
                LogReloadFailed(_logger, ex, _certificatePath);
            }
        }
    }

    private string Stamp()
    {
        var certificate = new FileInfo(_certificatePath);
        var key = new FileInfo(_keyPath);
        return string.Concat(
            certificate.Exists ? certificate.LastWriteTimeUtc.Ticks + ":" + certificate.Length : "-", "|",
            key.Exists ? key.LastWriteTimeUtc.Ticks + ":" + key.Length : "-");
    }

    public void Dispose() => _watcher?.Dispose();

    private sealed record Loaded(X509Certificate2 Certificate, SslStreamCertificateContext Context, string Stamp)
    {
        public DeviceFabric.Security.CertificateIdentity Identity { get; } = DeviceFabric.Security.CertificateIdentity.Of(Certificate);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Server certificate reloaded: {Subject}, thumbprint {Thumbprint}, expires {NotAfter:u}; new connections get it")]
    private static partial void LogReloaded(ILogger logger, string subject, string thumbprint, DateTime notAfter);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The server certificate at {Path} changed but does not load; the one in use stays")]
    private static partial void LogReloadFailed(ILogger logger, Exception exception, string path);
}
