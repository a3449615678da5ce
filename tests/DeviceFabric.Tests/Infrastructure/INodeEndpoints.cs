namespace DeviceFabric.Tests.Infrastructure;

/// <summary>Where a running node (in the test process or a separate one) is reached.</summary>
internal interface INodeEndpoints
{
    Uri BaseAddress { get; }

    int MqttTlsPort { get; }

    string DataDirectory { get; }

    string CaPath => Path.Combine(DataDirectory, "certs", "ca.pem");

    string OwnerConnectionString => File.ReadAllText(Path.Combine(DataDirectory, "owner-connection-string.txt"));
}
