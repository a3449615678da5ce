using DeviceFabric.Client;
using DeviceFabric.Persistence;
using Orleans.TestingHost;

namespace DeviceFabric.Tests.Infrastructure;

/// <summary>An in-process test cluster of two silos with the fabric's grains and in-memory storage, shared by a collection.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public InProcessTestCluster Cluster { get; private set; } = null!;

    public DeviceFabricClient Client => new(Cluster.Client);

    public async ValueTask InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((_, silo) => silo.AddMemoryGrainStorage(GrainStorage.Name).UseInMemoryReminderService().AddDeviceFabricGrains());
        builder.ConfigureClient(client => client.AddMemoryStreams(DeviceFabric.Streams.FabricStreams.ProviderName));
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async ValueTask DisposeAsync() => await Cluster.DisposeAsync();
}
