using DeviceFabric.Api.CloudToDevice;
using DeviceFabric.Api.Devices;
using DeviceFabric.Api.Http;
using DeviceFabric.Api.Jobs;
using DeviceFabric.Api.Methods;
using DeviceFabric.Api.Query;
using DeviceFabric.Api.Security;
using DeviceFabric.Api.Twins;
using DeviceFabric.Hubs;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Registers and maps the fabric's IoT-Hub-compatible REST API.</summary>
public static class ApiExtensions
{
    /// <summary>Adds the services the REST API needs; idempotent.</summary>
    public static IServiceCollection AddDeviceFabricApi(this IServiceCollection services)
    {
        services.AddOptions<HubOptions>().BindConfiguration(HubOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ServiceAuthenticator>();
        services.TryAddSingleton<DeviceFabricErrorFilter>();
        return services;
    }

    /// <summary>Maps the REST API at the root, as IoT Hub's (<c>/devices/{id}</c>...); <c>api-version</c> is accepted and ignored.</summary>
    public static RouteGroupBuilder MapDeviceFabricApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup(string.Empty);
        api.AddEndpointFilter<DeviceFabricErrorFilter>();
        api.MapDevices();
        api.MapTwins();
        api.MapMethods();
        api.MapCloudToDevice();
        api.MapQuery();
        api.MapJobs();
        return api;
    }
}
