namespace DeviceFabric.Silo.Hosting;

/// <summary>Where the CA that signed the server certificate is, for devices to trust.</summary>
internal sealed record CertificateInfo(string CaPath);
