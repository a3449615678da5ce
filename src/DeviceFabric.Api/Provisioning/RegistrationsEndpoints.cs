using DeviceFabric.Api.Http;
using DeviceFabric.Api.Query;
using DeviceFabric.Contracts;
using DeviceFabric.Contracts.Provisioning;
using DeviceFabric.Provisioning;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace DeviceFabric.Api.Provisioning;

/// <summary>
/// DPS's registration records: <c>GET</c> and <c>DELETE /registrations/{registrationId}</c> (deleting the record leaves the
/// device in its hub), and <c>POST /registrations/{enrollmentGroupId}/query</c>, the records of a group's devices.
/// </summary>
internal static class RegistrationsEndpoints
{
    public static void MapRegistrations(this RouteGroupBuilder provisioning)
    {
        var registrations = provisioning.MapGroup("/registrations").WithTags("Provisioning: registrations");
        registrations.MapGet("/{registrationId}", GetAsync).WithName("GetDeviceRegistrationState").WithSummary("Reads a registration record")
            .RequireProvisioningRights(ProvisioningRights.RegistrationStatusRead);
        registrations.MapDelete("/{registrationId}", DeleteAsync).WithName("DeleteDeviceRegistrationState").WithSummary("Deletes a registration record")
            .RequireProvisioningRights(ProvisioningRights.RegistrationStatusWrite);
        registrations.MapPost("/{enrollmentGroupId}/query", QueryGroupAsync).WithName("QueryEnrollmentGroupRegistrations")
            .WithSummary("Lists the registration records of a group's devices, a page at a time")
            .DocumentsBody<QuerySpecificationJson>().RequireProvisioningRights(ProvisioningRights.RegistrationStatusRead);
    }

    private static async Task<Ok<DeviceRegistrationStateJson>> GetAsync(string registrationId, HttpContext context, IGrainFactory grains)
    {
        var state = await grains.GetGrain<IDeviceRegistrationGrain>(registrationId).GetStateAsync(context.RequestAborted)
            ?? throw new DeviceFabricException(DeviceFabricErrorCode.DeviceRegistrationNotFound, $"No registration record for {registrationId}.");
        return TypedResults.Ok(RegistrationJson.State(state));
    }

    private static async Task<NoContent> DeleteAsync(string registrationId, HttpContext context, IGrainFactory grains)
    {
        await grains.GetGrain<IDeviceRegistrationGrain>(registrationId).DeleteStateAsync(context.Request.Headers.IfMatch.ToString(), context.RequestAborted);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<List<DeviceRegistrationStateJson>>> QueryGroupAsync(string enrollmentGroupId, HttpContext context, IGrainFactory grains)
    {
        await ProvisioningQuery.ReadAsync(context);
        var group = grains.GetGrain<IEnrollmentGrain>(EnrollmentKey.Create(EnrollmentKind.Group, enrollmentGroupId));
        if (await group.GetAsync(context.RequestAborted) is null)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.EnrollmentNotFound, $"No enrollment group {enrollmentGroupId}.");
        }

        var size = QueryEndpoints.PageSize(context, ProvisioningQuery.MaxPageSize);
        var ids = await GroupRegistrations.ListAsync(grains, enrollmentGroupId, QueryEndpoints.Continuation(context), size + 1, context.RequestAborted);
        var states = await Task.WhenAll(ids.Take(size).Select(id => grains.GetGrain<IDeviceRegistrationGrain>(id).GetStateAsync(context.RequestAborted)));
        var page = states.OfType<DeviceRegistrationState>().Select(RegistrationJson.State).ToList();

        ProvisioningQuery.WritePageHeaders(context, "DeviceRegistration", ids.Count > size ? ids[size - 1] : null);
        return TypedResults.Ok(page);
    }
}
