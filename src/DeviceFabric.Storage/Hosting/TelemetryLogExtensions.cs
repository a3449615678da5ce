using DeviceFabric.Hubs;
using DeviceFabric.Storage.Telemetry;
using DeviceFabric.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Orleans.Hosting;

/// <summary>Registers the telemetry log of <see cref="TelemetryLogOptions.Log"/> and its retention sweep.</summary>
public static class TelemetryLogExtensions
{
    /// <summary>
    /// Adds <see cref="ITelemetryLog"/>: FASTER logs under <paramref name="dataDirectory"/> (or the configured directory)
    /// or NATS JetStream. <paramref name="clock"/> gives the time retention measures ages by.
    /// </summary>
    public static IServiceCollection AddDeviceFabricTelemetryLog(
        this IServiceCollection services, TelemetryLogOptions options, string dataDirectory, Func<IServiceProvider, TimeProvider> clock)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.TryAddSingleton<TelemetryInstruments>();
        if (options.Log == TelemetryLogMode.Embedded)
        {
            var directory = string.IsNullOrWhiteSpace(options.Directory) ? Path.Combine(dataDirectory, "telemetry") : Path.GetFullPath(options.Directory);
            services.AddSingleton<ITelemetryLog>(sp => new EmbeddedTelemetryLog(directory, sp.GetRequiredService<IOptions<HubOptions>>(), clock(sp)));
        }
        else
        {
            services.AddSingleton<ITelemetryLog, NatsTelemetryLog>();
        }

        services.AddHostedService(sp => ActivatorUtilities.CreateInstance<TelemetryRetentionSweep>(sp, clock(sp)));
        return services;
    }
}
