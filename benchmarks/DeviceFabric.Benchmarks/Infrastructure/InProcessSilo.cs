using System.Net;
using System.Net.Sockets;
using DeviceFabric.Client;
using DeviceFabric.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DeviceFabric.Benchmarks.Infrastructure;

/// <summary>One silo with the fabric's grains on free loopback ports and in-memory storage, plus its co-hosted grain client.</summary>
internal sealed class InProcessSilo : IAsyncDisposable
{
    private readonly IHost _host;

    private InProcessSilo(IHost host)
    {
        _host = host;
        Client = new DeviceFabricClient(host.Services.GetRequiredService<IClusterClient>());
        GrainFactory = host.Services.GetRequiredService<IGrainFactory>();
    }

    public DeviceFabricClient Client { get; }

    public IGrainFactory GrainFactory { get; }

    public static async Task<InProcessSilo> StartAsync()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleans(silo => silo
            .UseLocalhostClustering(FreePort(), FreePort())
            .AddMemoryGrainStorage(GrainStorage.Name)
            .AddDeviceFabricGrains());
        var host = builder.Build();
        await host.StartAsync();
        return new InProcessSilo(host);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
