using DeviceFabric.Client;
using DeviceFabric.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
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

    /// <summary>The silos' warnings and errors; whatever no test expected fails the collection when the cluster stops.</summary>
    internal ServerLogs Logs { get; } = new();

    public DeviceFabricClient Client => new(Cluster.Client);

    public async ValueTask InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddSingleton(new DeviceFabric.Hosting.GrainClock(Time));
            silo.AddMemoryGrainStorage(GrainStorage.Name).UseInMemoryReminderService().AddDeviceFabricGrains();
            silo.Services.AddDeviceFabricTelemetryLog(new DeviceFabric.Storage.Telemetry.TelemetryLogOptions(), TestNode.NewDataDirectory(), sp => Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<DeviceFabric.Hosting.GrainClock>(sp).Time);
        });
        builder.ConfigureSiloHost((_, host) => host.Logging.AddProvider(Logs));
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async ValueTask DisposeAsync()
    {
        // Checked before the cluster stops: memory storage goes down before the last grains, which then log errors
        // that only this test cluster's teardown causes.
        var owner = "The fake-time test cluster";
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
