namespace DeviceFabric.Security;

/// <summary>The node's own TLS server certificate, as it is served now (it may be replaced on disk while the node runs).</summary>
public interface IServerCertificate
{
    /// <summary>The certificate new connections get.</summary>
    CertificateIdentity Current { get; }
}
