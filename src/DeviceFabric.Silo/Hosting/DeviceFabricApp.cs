using System.Net;
using DeviceFabric.Hubs;
using DeviceFabric.Mqtt.Hosting;
using DeviceFabric.Silo.Certificates;
using DeviceFabric.Silo.Observability;
using DeviceFabric.Storage;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace DeviceFabric.Silo.Hosting;

/// <summary>
/// Composes the one executable: a silo with its storage, the HTTPS REST API and the first-run set-up. Program.cs and
/// the tests build the node through here, so tests run exactly what users run.
/// </summary>
public static class DeviceFabricApp
{
    /// <summary>
    /// Builds the node; <paramref name="overrides"/> win over every other configuration source, and
    /// <paramref name="logging"/> adds to the node's logging (tests use both).
    /// </summary>
    public static WebApplication Create(string[] args, IReadOnlyDictionary<string, string?>? overrides = null, Action<ILoggingBuilder>? logging = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        if (overrides is not null)
        {
            builder.Configuration.AddInMemoryCollection(overrides);
        }

        logging?.Invoke(builder.Logging);
        builder.AddDeviceFabricSilo();
        var app = builder.Build();
        app.MapDeviceFabricApi();
        app.MapDeviceFabricObservability();
        app.MapDeviceFabricMqtt(app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<MqttFrontEndOptions>>().Value.WebSocketPath);
        app.MapDeviceFabricPortal();
        return app;
    }

    /// <summary>Adds the silo, its storage, TLS and the REST API to a web application builder.</summary>
    public static WebApplicationBuilder AddDeviceFabricSilo(this WebApplicationBuilder builder)
    {
        var node = StartupOptions.Bind<NodeOptions>(builder, NodeOptions.SectionName);
        var storage = StartupOptions.Bind<StorageOptions>(builder, StorageOptions.SectionName);
        var hub = StartupOptions.Bind<HubOptions>(builder, HubOptions.SectionName);
        var mqtt = StartupOptions.Bind<MqttFrontEndOptions>(builder, MqttFrontEndOptions.SectionName);
        var provisioning = StartupOptions.Bind<DeviceFabric.Provisioning.ProvisioningOptions>(builder, DeviceFabric.Provisioning.ProvisioningOptions.SectionName);
        CreatePrivateDirectory(node.DataPath);
        StartupOptions.Bind<DeviceFabric.Transfers.TransferOptions>(builder, DeviceFabric.Transfers.TransferOptions.SectionName);
        StartupOptions.Bind<DeviceFabric.Configurations.ConfigurationOptions>(builder, DeviceFabric.Configurations.ConfigurationOptions.SectionName);
        StartupOptions.Bind<DeviceFabric.Updates.UpdateOptions>(builder, DeviceFabric.Updates.UpdateOptions.SectionName);
        var digitalTwins = StartupOptions.Bind<DeviceFabric.DigitalTwins.DigitalTwinOptions>(builder, DeviceFabric.DigitalTwins.DigitalTwinOptions.SectionName);
        builder.Services.PostConfigure<DeviceFabric.Updates.UpdateOptions>(o =>
        {
            o.Directory = string.IsNullOrWhiteSpace(o.Directory) ? Path.Combine(node.DataPath, "updates") : Path.GetFullPath(o.Directory);
            o.HttpsPort = node.HttpsPort;
        });
        builder.Services.PostConfigure<DeviceFabric.Transfers.TransferOptions>(o => o.Directory = string.IsNullOrWhiteSpace(o.Directory)
            ? Path.Combine(node.DataPath, "transfers")
            : Path.GetFullPath(o.Directory));
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = node.ShutdownTimeout);

        string[] hostNames = [.. hub.All.Select(h => h.HostName), .. provisioning.HostName is { } dps ? [dps] : Array.Empty<string>()];
        var certificate = LoadServerCertificate(node, hostNames, out var caPath, out var certificatePath, out var keyPath);
        builder.Services.AddSingleton(new CertificateInfo(caPath));
        builder.Services.AddSingleton(sp => new ServerCertificateSource(certificatePath, keyPath, certificate, sp.GetRequiredService<ILogger<ServerCertificateSource>>()));
        builder.Services.AddSingleton<DeviceFabric.Security.IServerCertificate>(sp => sp.GetRequiredService<ServerCertificateSource>());
        StartupOptions.Bind<DeviceFabric.Security.CertificateOptions>(builder, DeviceFabric.Security.CertificateOptions.SectionName);
        // What a socket may have buffered that nobody has read yet. TLS connections (HTTPS, MQTT over TLS and WebSockets)
        // read their socket only as their TLS layer is read, so 64 KB caps what a connection waiting to authenticate can
        // make the node hold; plain MQTT reads the socket directly and needs room for its largest packet.
        // The portal's files (its own and Fluent UI's) are served from where the build put them in every environment,
        // not only Development; a published node has them in wwwroot instead and this finds nothing to add.
        builder.WebHost.UseStaticWebAssets();
        var listeners = new NodeListeners();
        builder.Services.AddSingleton(listeners);
        builder.WebHost.UseSockets(sockets => sockets.MaxReadBufferSize = mqtt.PlainPort == 0 ? 64 * 1024 : mqtt.MaxPacketBytes + (64 * 1024));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // Bounds on what a client can make the HTTPS side hold: bodies (each endpoint caps its own further), header
            // and request-line sizes, and time to send headers; bodies trickled slower than 240 B/s are cut off too.
            kestrel.Limits.MaxRequestBodySize = node.MaxRequestBodyBytes;
            kestrel.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
            kestrel.Limits.MaxRequestHeaderCount = 100;
            kestrel.Limits.MaxRequestLineSize = 8 * 1024;
            kestrel.Limits.RequestHeadersTimeout = node.RequestHeadersTimeout;
            kestrel.Limits.KeepAliveTimeout = TimeSpan.FromMinutes(2);
            var address = node.ListenAddress == "*" ? IPAddress.Any : IPAddress.Parse(node.ListenAddress);
            // Both listeners take the server certificate at each handshake, so a replaced one serves new connections.
            var server = kestrel.ApplicationServices.GetRequiredService<ServerCertificateSource>();
            HttpsConnectionAdapterOptions Https() => new()
            {
                ServerCertificateSelector = (_, _) => server.Certificate,
                HandshakeTimeout = node.RequestHeadersTimeout,
            };
            kestrel.Listen(address, node.HttpsPort, listen =>
            {
                listeners.Rest = listen;
                listen.UseHttps(Https());
            });
            if (node.StandardHttpsPort != 0 && node.StandardHttpsPort != node.HttpsPort)
            {
                if (NodeListeners.CanBind(address, node.StandardHttpsPort, out var refusal))
                {
                    kestrel.Listen(address, node.StandardHttpsPort, listen =>
                    {
                        listeners.Standard = listen;
                        listen.UseHttps(Https());
                    });
                }
                else
                {
                    listeners.StandardPortRefusal = refusal;
                }
            }

            if (digitalTwins.HttpsPort != 0)
            {
                // Azure Digital Twins' API on its own port, same certificate (see DigitalTwinsListenerPolicy).
                kestrel.Listen(address, digitalTwins.HttpsPort, listen =>
                {
                    listeners.DigitalTwins = listen;
                    listen.UseHttps(Https());
                });
            }

            kestrel.Listen(address, mqtt.TlsPort, listen =>
            {
                listeners.MqttTls = listen;
                listen.UseMqttAdmission();
                // Client certificates are requested and kept; the device's grain judges them at CONNECT.
                listen.UseMqttTls(() => server.Context, mqtt.ConnectTimeout);
                listen.UseDeviceFabricMqtt();
            });
            if (mqtt.PlainPort != 0)
            {
                kestrel.Listen(address, mqtt.PlainPort, listen => listen.UseMqttAdmission().UseDeviceFabricMqtt());
            }
        });

        var cluster = StartupOptions.Bind<ClusterSecurityOptions>(builder, ClusterSecurityOptions.SectionName);
        var clusterProblems = storage.Mode == StorageMode.PostgreSql ? cluster.ProblemsForClusterMode().ToList() : [];
        var telemetry = StartupOptions.Bind<DeviceFabric.Storage.Telemetry.TelemetryLogOptions>(builder, DeviceFabric.Storage.Telemetry.TelemetryLogOptions.SectionName);
        if (storage.Mode == StorageMode.PostgreSql && telemetry.Log == DeviceFabric.Storage.Telemetry.TelemetryLogMode.Embedded)
        {
            // Each silo's embedded log would hold only what its own front ends received: readers would see a part.
            clusterProblems.Add("DeviceFabric:Telemetry:Log must be Nats in a cluster (Storage:Mode PostgreSql): every silo appends to and reads the same log.");
        }

        if (clusterProblems.Count > 0)
        {
            throw new Microsoft.Extensions.Options.OptionsValidationException(ClusterSecurityOptions.SectionName, typeof(ClusterSecurityOptions), clusterProblems);
        }

        var observability = StartupOptions.Bind<DeviceFabric.Silo.Observability.ObservabilityOptions>(builder, DeviceFabric.Silo.Observability.ObservabilityOptions.SectionName);
        builder.UseOrleans(silo =>
        {
            silo.AddDeviceFabricStorage(storage, node.DataPath).AddDeviceFabricGrains();
            builder.AddDeviceFabricObservability(observability, silo);
            if (storage.Mode == StorageMode.PostgreSql && !cluster.AllowInsecure)
            {
                silo.UseDeviceFabricClusterTls(cluster);
            }
        });
        builder.Services.AddDeviceFabricTelemetryLog(telemetry, node.DataPath, sp => sp.GetRequiredService<DeviceFabric.Hosting.GrainClock>().Time);
        builder.Services.AddDeviceFabricApi();
        builder.Services.AddDeviceFabricMqtt();
        var portalHost = hub.Default.HostName;
        builder.Services.AddDeviceFabricPortal(_ => new DeviceFabric.Portal.Hosting.PortalBackend(
            () => listeners.LocalRestAddress(portalHost), () => listeners.DigitalTwinsAddress(portalHost), caPath, hub.ResolveHub));
        builder.Services.AddHostedService<OwnerConnectionString>();
        builder.Services.AddHostedService<ProvisioningConnectionString>();
        builder.Services.AddHostedService<ReadyAnnouncement>();
        builder.Services.AddHostedService<CertificateExpiryWatch>();
        return builder;
    }

    /// <summary>The data directory holds keys and the database: owner-only where the platform allows it.</summary>
    private static void CreatePrivateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private static System.Security.Cryptography.X509Certificates.X509Certificate2 LoadServerCertificate(
        NodeOptions node, string[] hostNames, out string caPath, out string certificatePath, out string keyPath)
    {
        if (!string.IsNullOrEmpty(node.ServerCertificatePath))
        {
            caPath = certificatePath = node.ServerCertificatePath;
            keyPath = string.IsNullOrEmpty(node.ServerKeyPath) ? node.ServerCertificatePath : node.ServerKeyPath;
            return DevelopmentCertificates.LoadWithKey(certificatePath, keyPath);
        }

        var (server, ca, _) = DevelopmentCertificates.EnsureServerCertificate(node.DataPath, hostNames, TimeProvider.System);
        caPath = ca;
        (certificatePath, keyPath) = DevelopmentCertificates.ServerPaths(node.DataPath);
        return server;
    }
}
