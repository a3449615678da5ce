using DeviceFabric.Client;
using DeviceFabric.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;

namespace DeviceFabric.Tests.Infrastructure;

/// <summary>
/// A one-silo test cluster whose grains read time from a <see cref="FakeTimeProvider"/> the tests move by hand. Each
/// test class gets its own cluster and clock, so moving one class's clock never moves another's.
/// </summary>
public sealed class FakeTimeClusterFixture : IAsyncLifetime
{
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public DeviceFabricClient Client => new(Cluster.Client);

    public async ValueTask InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddSingleton(new DeviceFabric.Hosting.GrainClock(Time));
            silo.AddMemoryGrainStorage(GrainStorage.Name).UseInMemoryReminderService().AddDeviceFabricGrains();
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async ValueTask DisposeAsync() => await Cluster.DisposeAsync();
}
