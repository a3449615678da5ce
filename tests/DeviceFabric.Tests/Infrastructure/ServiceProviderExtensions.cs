using Microsoft.Extensions.DependencyInjection;

namespace DeviceFabric.Tests.Infrastructure;

/// <summary>Shortcuts into a node's services.</summary>
internal static class ServiceProviderExtensions
{
    public static IGrainFactory GetRequiredServiceGrainFactory(this IServiceProvider services) => services.GetRequiredService<IGrainFactory>();
}
