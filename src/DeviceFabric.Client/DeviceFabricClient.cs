using DeviceFabric.Security;
using DeviceFabric.Streams;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;

namespace DeviceFabric.Client;

/// <summary>
/// The grain client SDK: a backend app's handle on one hub of the fabric, over an Orleans client connection to a single
/// node or to a PostgreSQL cluster. Thread-safe; create one per process and dispose it at shutdown. The connection is
/// trusted like a cluster member: guard the gateway port at the network level.
/// </summary>
public sealed class DeviceFabricClient : IAsyncDisposable
{
    private readonly IHost? _host;

    /// <summary>Wraps an Orleans client the app already has (e.g. inside a silo, or a test cluster's client).</summary>
    public DeviceFabricClient(IClusterClient client, string hub = "devicefabric")
        : this(client, hub, host: null)
    {
    }

    private DeviceFabricClient(IClusterClient client, string hub, IHost? host)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrWhiteSpace(hub);
        _host = host;
        Hub = hub;
        Devices = new DeviceRegistryClient(client, hub);
        Twins = new TwinsClient(client, hub);
        Modules = new ModulesClient(client, hub);
        Configurations = new ConfigurationsClient(client, hub);
        Updates = new UpdatesClient(client, hub);
        DigitalTwins = new DigitalTwinsClient(client, hub);
        DirectMethods = new DirectMethodsClient(client, hub);
        CloudToDevice = new CloudToDeviceClient(client, hub);
        Telemetry = new TelemetryClient(client, hub);
        Routing = new RoutingClient(client, hub);
        Events = new DeviceEventsClient(client, hub);
        Query = new QueryClient(client, hub);
        Jobs = new JobsClient(client, hub);
        Transfers = new TransfersClient(client, hub);
        Provisioning = new ProvisioningClient(client);
        Security = new SecurityClient(client, hub);
        Alerts = new AlertsClient(client, hub);
    }

    /// <summary>Automatic device configurations and IoT Edge deployments.</summary>
    public ConfigurationsClient Configurations { get; }

    /// <summary>Device Update: updates, groups, deployments with waves and rollback, and their status.</summary>
    public UpdatesClient Updates { get; }

    /// <summary>Digital twins: models, twins, relationships, queries, device bindings and twin events.</summary>
    public DigitalTwinsClient DigitalTwins { get; }

    /// <summary>Module identities, module twins and module methods.</summary>
    public ModulesClient Modules { get; }

    /// <summary>The hub this client acts on.</summary>
    public string Hub { get; }

    /// <summary>IoT Hub's query language over device twins and job rows.</summary>
    public QueryClient Query { get; }

    /// <summary>Jobs: scheduled twin updates and method calls over many devices, with progress and rollback.</summary>
    public JobsClient Jobs { get; }

    /// <summary>Imports and exports in IoT Hub's bulk format, and migrations of devices to another hub.</summary>
    public TransfersClient Transfers { get; }

    /// <summary>The fabric's provisioning service (one for all hubs): enrollments and registration records.</summary>
    public ProvisioningClient Provisioning { get; }

    /// <summary>Alert rules on telemetry and twins, and their firings and clearings.</summary>
    public AlertsClient Alerts { get; }

    /// <summary>Key management: policies, CA certificates, revocations, expiring certificates and the audit history.</summary>
    public SecurityClient Security { get; }

    /// <summary>The device registry: create, read, update, delete, list and count devices.</summary>
    public DeviceRegistryClient Devices { get; }

    /// <summary>Device twins: tags, desired and reported properties, and their change events.</summary>
    public TwinsClient Twins { get; }

    /// <summary>Direct methods: call a method on a connected device and get its answer.</summary>
    public DirectMethodsClient DirectMethods { get; }

    /// <summary>Cloud-to-device messages: send, purge, feedback.</summary>
    public CloudToDeviceClient CloudToDevice { get; }

    /// <summary>Device-to-cloud messages of the hub's devices.</summary>
    public TelemetryClient Telemetry { get; }

    /// <summary>Message routing: endpoints, routes and enrichments.</summary>
    public RoutingClient Routing { get; }

    /// <summary>Device lifecycle events: created, deleted, connected, disconnected.</summary>
    public DeviceEventsClient Events { get; }

    /// <summary>Connects to the fabric; returns once the client has joined a gateway.</summary>
    public static async Task<DeviceFabricClient> ConnectAsync(DeviceFabricClientOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.UseOrleansClient(client =>
        {
            client.AddMemoryStreams(FabricStreams.ProviderName);
            client.UseConnectionRetryFilter(new ConnectDeadline(options.ConnectTimeout));
            client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = DeviceFabric.Methods.MethodTimeouts.CallTimeout);
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = options.ClusterId;
                o.ServiceId = options.ServiceId;
            });
            if (options.ClientCertificate is { } certificate)
            {
                var authority = options.ClusterAuthority
                    ?? throw new ArgumentException("ClusterAuthority is required with ClientCertificate: the gateways' certificates are checked against it.", nameof(options));
                client.UseTls(certificate, tls =>
                {
                    tls.RemoteCertificateValidation = (presented, _, _) => ClusterTrust.IsIssuedBy(presented, authority);
                    tls.OnAuthenticateAsClient = (_, authentication) => authentication.TargetHost ??= "devicefabric-cluster";
                });
            }

            if (string.IsNullOrEmpty(options.PostgreSqlConnectionString))
            {
                client.UseLocalhostClustering(options.GatewayPort, options.ServiceId, options.ClusterId);
            }
            else
            {
                client.UseAdoNetClustering(o =>
                {
                    o.Invariant = "Npgsql";
                    o.ConnectionString = options.PostgreSqlConnectionString;
                });
            }
        });

        var host = builder.Build();
        try
        {
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            host.Dispose();
            throw new DeviceFabricServiceException(DeviceFabricErrorCode.ServiceUnavailable, "Could not connect to the fabric: " + ex.Message, ex);
        }

        return new DeviceFabricClient(host.Services.GetRequiredService<IClusterClient>(), options.Hub, host);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.StopAsync().ConfigureAwait(false);
            _host.Dispose();
        }
    }
}
