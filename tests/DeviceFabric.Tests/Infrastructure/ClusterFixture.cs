using DeviceFabric.Client;
using DeviceFabric.Persistence;
using Microsoft.Extensions.Logging;
using Orleans.TestingHost;

namespace DeviceFabric.Tests.Infrastructure;

/// <summary>An in-process test cluster of two silos with the fabric's grains and in-memory storage, shared by a collection.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public InProcessTestCluster Cluster { get; private set; } = null!;

    /// <summary>The silos' warnings and errors; whatever no test expected fails the collection when the cluster stops.</summary>
    internal ServerLogs Logs { get; } = new();

    public DeviceFabricClient Client => new(Cluster.Client);

    public async ValueTask InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(2);
        // Each silo has a telemetry log of its own in its own directory: these tests send no telemetry through it.
        builder.ConfigureSilo((_, silo) => silo.AddMemoryGrainStorage(GrainStorage.Name).UseInMemoryReminderService().AddDeviceFabricGrains()
            .Services.AddDeviceFabricTelemetryLog(new DeviceFabric.Storage.Telemetry.TelemetryLogOptions(), TestNode.NewDataDirectory(), sp => Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<DeviceFabric.Hosting.GrainClock>(sp).Time));
        builder.ConfigureClient(client => client.AddMemoryStreams(DeviceFabric.Streams.FabricStreams.ProviderName));
        builder.ConfigureSiloHost((_, host) => host.Logging.AddProvider(Logs));
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async ValueTask DisposeAsync()
    {
        // Checked before the cluster stops: memory storage goes down before the last grains, which then log errors
        // that only this test cluster's teardown causes.
        var owner = "The test cluster";
        try
        {
            Logs.AssertNoneUnexpected(owner);
        }
        finally
        {
            await Cluster.DisposeAsync();
        }
    }
}
