using DeviceFabric.Hubs;
using DeviceFabric.Streams;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Orleans.Hosting;

/// <summary>Registers what the fabric's grains need in a silo.</summary>
public static class GrainsExtensions
{
    /// <summary>
    /// Adds the services and streams the fabric's grains depend on. The silo must also register a grain storage provider
    /// named <see cref="DeviceFabric.Persistence.GrainStorage.Name"/>.
    /// </summary>
    public static ISiloBuilder AddDeviceFabricGrains(this ISiloBuilder builder)
    {
        builder.Services.TryAddSingleton(DeviceFabric.Hosting.GrainClock.System);
        builder.Services.AddOptions<HubOptions>();
        builder.Services.AddOptions<DeviceFabric.Provisioning.ProvisioningOptions>();
        builder.Services.AddOptions<DeviceFabric.Transfers.TransferOptions>();
        builder.Services.AddOptions<DeviceFabric.Configurations.ConfigurationOptions>();
        builder.Services.AddOptions<DeviceFabric.Updates.UpdateOptions>();
        builder.Services.TryAddSingleton(sp => new DeviceFabric.Configurations.ConfigurationCatalogCache(sp.GetRequiredService<DeviceFabric.Hosting.GrainClock>().Time));
        builder.Services.TryAddSingleton<DeviceFabric.Configurations.ConfigurationInstruments>();
        builder.Services.TryAddSingleton<DeviceFabric.Transfers.TransferInstruments>();
        builder.Services.TryAddSingleton<DeviceFabric.Security.SecurityInstruments>();
        builder.Services.TryAddSingleton<DeviceFabric.Devices.DeviceInstruments>();
        builder.Services.TryAddSingleton<DeviceFabric.Jobs.JobInstruments>();
        builder.Services.TryAddSingleton<DeviceFabric.Query.QueryInstruments>();
        builder.Services.TryAddSingleton<DeviceFabric.Alerts.AlertInstruments>();
        builder.Services.TryAddSingleton(sp => new DeviceFabric.Alerts.AlertWebhooks(
            new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), AllowAutoRedirect = false }),
            sp.GetRequiredService<DeviceFabric.Hosting.GrainClock>(),
            sp.GetRequiredService<DeviceFabric.Alerts.AlertInstruments>(),
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<DeviceFabric.Alerts.AlertWebhooks>>()));

        builder.Services.TryAddSingleton(sp => new DeviceFabric.Routing.RouteSenders(
            new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), AllowAutoRedirect = false }),
            sp.GetRequiredService<DeviceFabric.Telemetry.ITelemetryLog>(),
            sp.GetRequiredService<DeviceFabric.Telemetry.TelemetryInstruments>(),
            sp.GetRequiredService<DeviceFabric.Hosting.GrainClock>(),
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<DeviceFabric.Routing.RouteSenders>>()));

        // One long-lived client for every webhook call: pooled connections, renewed now and then so DNS changes are seen.
        builder.Services.TryAddSingleton(sp => new DeviceFabric.Provisioning.CustomAllocationWebhook(
            new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }),
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<DeviceFabric.Provisioning.ProvisioningOptions>>()));
        // Update files may be large: a long timeout, pooled connections renewed now and then.
        builder.Services.TryAddSingleton(_ => new DeviceFabric.Updates.UpdateDownloader(
            new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = TimeSpan.FromMinutes(30) }));
        builder.Services.TryAddSingleton<DeviceFabric.Updates.UpdateManifestSigner>();
        builder.Services.TryAddSingleton<DeviceFabric.Updates.UpdateInstruments>();
        builder.Services.TryAddSingleton<DeviceFabric.DigitalTwins.DigitalTwinInstruments>();
        builder.Services.TryAddSingleton(sp => new DeviceFabric.DigitalTwins.DigitalTwinModelCache(sp.GetRequiredService<DeviceFabric.Hosting.GrainClock>().Time));
        builder.Services.TryAddSingleton(sp => new DeviceFabric.Updates.UpdateDownloadUrls(
            () => sp.GetRequiredService<DeviceFabric.Updates.UpdateManifestSigner>().DeriveSecret("devicefabric update download urls"),
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<DeviceFabric.Updates.UpdateOptions>>(),
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<HubOptions>>()));
        builder.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, DeviceFabric.Hosting.JobResumer>();
        builder.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, DeviceFabric.Telemetry.TelemetryFanOutStarter>();

        // A direct method may wait 300 s for its device to connect and 300 s more for its answer.
        builder.Configure<Orleans.Configuration.SiloMessagingOptions>(o => o.ResponseTimeout = DeviceFabric.Methods.MethodTimeouts.CallTimeout);

        // Live events are in-memory streams: delivered in order while the silos run, lost with a silo that dies (the
        // README states the guarantee). Telemetry reaches its stream from the durable log (TelemetryFanOutGrain), so a
        // backend that must not miss any reads the log instead. Subscriptions are transient, so their store is memory too.
        builder.AddMemoryStreams(FabricStreams.ProviderName, streams =>
        {
            streams.ConfigurePullingAgent(agent => agent.Configure(o => o.GetQueueMsgsTimerPeriod = FabricStreams.QueuePollPeriod));
            // Delivered events leave the cache within seconds: memory follows the live rate, not minutes of it.
            streams.ConfigureCacheEviction(cache => cache.Configure(o =>
            {
                o.DataMinTimeInCache = FabricStreams.LiveCacheMinTime;
                o.DataMaxAgeInCache = FabricStreams.LiveCacheMaxAge;
            }));
        });
        builder.AddMemoryGrainStorage("PubSubStore");
        return builder;
    }
}
