using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Orleans.Hosting;

/// <summary>Registers what the fabric's grains need in a silo.</summary>
public static class GrainsExtensions
{
    /// <summary>
    /// Adds the services the fabric's grains depend on. The silo must also register a grain storage provider named
    /// <see cref="DeviceFabric.Storage.GrainStorage.Name"/>.
    /// </summary>
    public static ISiloBuilder AddDeviceFabricGrains(this ISiloBuilder builder)
    {
        builder.Services.TryAddSingleton(TimeProvider.System);
        return builder;
    }
}
