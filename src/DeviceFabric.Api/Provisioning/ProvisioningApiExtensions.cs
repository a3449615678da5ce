using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace DeviceFabric.Api.Provisioning;

/// <summary>Maps DPS's service API beside IoT Hub's, on the same port (their paths do not collide), with DPS's error shape.</summary>
internal static class ProvisioningApiExtensions
{
    public static void MapProvisioning(this RouteGroupBuilder api)
    {
        var provisioning = api.MapGroup(string.Empty);
        provisioning.AddEndpointFilter<ProvisioningErrorFilter>();
        provisioning.MapEnrollments();
        provisioning.MapBulkEnrollments();
        provisioning.MapRegistrations();
    }
}
