using DeviceFabric.Mqtt.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace DeviceFabric.Silo.Hosting;

/// <summary>Prints one line once the node serves both HTTPS and MQTT: what operators and scripts wait for.</summary>
internal sealed class ReadyAnnouncement(IHostApplicationLifetime lifetime, IServer server, MqttFrontEndReadiness mqtt) : IHostedService
{
    public const string Line = "DeviceFabric: ready";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() => _ = AnnounceAsync());
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task AnnounceAsync()
    {
        await mqtt.Ready.ConfigureAwait(false);
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        Console.WriteLine($"{Line} ({string.Join(", ", addresses)})");
    }
}
