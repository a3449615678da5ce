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
/// DPS's enrollment API: <c>/enrollments/{registrationId}</c> and <c>/enrollmentGroups/{enrollmentGroupId}</c> (PUT
/// creates or replaces, with <c>If-Match</c>; GET; DELETE), their queries, and their attestation mechanisms.
/// </summary>
internal static class EnrollmentsEndpoints
{
    private const long MaxBodyBytes = 64 * 1024;

    public static void MapEnrollments(this RouteGroupBuilder provisioning)
    {
        var individual = provisioning.MapGroup("/enrollments").WithTags("Provisioning: enrollments");
        individual.MapPut("/{registrationId}", PutIndividualAsync).WithName("PutIndividualEnrollment").WithSummary("Creates or replaces an individual enrollment")
            .DocumentsBody<IndividualEnrollmentJson>().RequireProvisioningRights(ProvisioningRights.EnrollmentWrite);
        individual.MapGet("/{registrationId}", GetIndividualAsync).WithName("GetIndividualEnrollment").WithSummary("Reads an individual enrollment and its registration")
            .RequireProvisioningRights(ProvisioningRights.EnrollmentRead);
        individual.MapDelete("/{registrationId}", DeleteIndividualAsync).WithName("DeleteIndividualEnrollment").WithSummary("Deletes an individual enrollment")
            .RequireProvisioningRights(ProvisioningRights.EnrollmentWrite);
        individual.MapPost("/query", QueryIndividualsAsync).WithName("QueryIndividualEnrollments").WithSummary("Lists individual enrollments, a page at a time")
            .DocumentsBody<QuerySpecificationJson>().RequireProvisioningRights(ProvisioningRights.EnrollmentRead);
        individual.MapPost("/{registrationId}/attestationmechanism", IndividualAttestationAsync).WithName("GetIndividualEnrollmentAttestation")
            .WithSummary("Reads an individual enrollment's attestation").RequireProvisioningRights(ProvisioningRights.EnrollmentRead);

        individual.MapPost("/{registrationId}/regenerateKey", RegenerateIndividualKeyAsync).WithName("RegenerateIndividualEnrollmentKey")
            .WithSummary("Regenerates a symmetric-key enrollment's primary or secondary key, or swaps them; its device gets the new keys")
            .DocumentsBody<DeviceFabric.Contracts.Security.RegenerateKeyJson>().RequireProvisioningRights(ProvisioningRights.EnrollmentWrite);

        var groups = provisioning.MapGroup("/enrollmentGroups").WithTags("Provisioning: enrollment groups");
        groups.MapPut("/{enrollmentGroupId}", PutGroupAsync).WithName("PutEnrollmentGroup").WithSummary("Creates or replaces an enrollment group")
            .DocumentsBody<EnrollmentGroupJson>().RequireProvisioningRights(ProvisioningRights.EnrollmentWrite);
        groups.MapGet("/{enrollmentGroupId}", GetGroupAsync).WithName("GetEnrollmentGroup").WithSummary("Reads an enrollment group")
            .RequireProvisioningRights(ProvisioningRights.EnrollmentRead);
        groups.MapDelete("/{enrollmentGroupId}", DeleteGroupAsync).WithName("DeleteEnrollmentGroup").WithSummary("Deletes an enrollment group")
            .RequireProvisioningRights(ProvisioningRights.EnrollmentWrite);
        groups.MapPost("/query", QueryGroupsAsync).WithName("QueryEnrollmentGroups").WithSummary("Lists enrollment groups, a page at a time")
            .DocumentsBody<QuerySpecificationJson>().RequireProvisioningRights(ProvisioningRights.EnrollmentRead);
        groups.MapPost("/{enrollmentGroupId}/attestationmechanism", GroupAttestationAsync).WithName("GetEnrollmentGroupAttestation")
            .WithSummary("Reads an enrollment group's attestation").RequireProvisioningRights(ProvisioningRights.EnrollmentRead);
        groups.MapPost("/{enrollmentGroupId}/regenerateKey", RegenerateGroupKeyAsync).WithName("RegenerateEnrollmentGroupKey")
            .WithSummary("Regenerates a symmetric-key group's primary or secondary key, or swaps them; its devices get keys derived from the new ones")
            .DocumentsBody<DeviceFabric.Contracts.Security.RegenerateKeyJson>().RequireProvisioningRights(ProvisioningRights.EnrollmentWrite);
    }

    private static async Task<Ok<IndividualEnrollmentJson>> RegenerateIndividualKeyAsync(string registrationId, HttpContext context, IGrainFactory grains)
    {
        var stored = await Enrollment(grains, EnrollmentKind.Individual, registrationId).RegenerateKeyAsync(await RolloverAsync(context), context.RequestAborted);
        return TypedResults.Ok(EnrollmentJson.ToIndividual(stored, await RegistrationOfAsync(grains, registrationId, context)));
    }

    private static async Task<Ok<EnrollmentGroupJson>> RegenerateGroupKeyAsync(string enrollmentGroupId, HttpContext context, IGrainFactory grains) =>
        TypedResults.Ok(EnrollmentJson.ToGroup(await Enrollment(grains, EnrollmentKind.Group, enrollmentGroupId).RegenerateKeyAsync(await RolloverAsync(context), context.RequestAborted)));

    private static async Task<DeviceFabric.Security.KeyRollover> RolloverAsync(HttpContext context) =>
        DeviceFabric.Contracts.Security.SecurityMapper.ParseRollover(
            (await JsonBody.ReadAsync(context, ContractsJsonContext.Default.RegenerateKeyJson, MaxBodyBytes)).KeyType);

    private static async Task<Ok<IndividualEnrollmentJson>> PutIndividualAsync(string registrationId, HttpContext context, IGrainFactory grains)
    {
        var body = await JsonBody.ReadAsync(context, ProvisioningJsonContext.Default.IndividualEnrollmentJson, MaxBodyBytes);
        var stored = await Enrollment(grains, EnrollmentKind.Individual, registrationId)
            .CreateOrUpdateAsync(EnrollmentJson.FromIndividual(body, registrationId), context.Request.Headers.IfMatch.ToString(), context.RequestAborted);
        return TypedResults.Ok(EnrollmentJson.ToIndividual(stored, await RegistrationOfAsync(grains, registrationId, context)));
    }

    private static async Task<Ok<IndividualEnrollmentJson>> GetIndividualAsync(string registrationId, HttpContext context, IGrainFactory grains)
    {
        var enrollment = await ExistingAsync(grains, EnrollmentKind.Individual, registrationId, context);
        return TypedResults.Ok(EnrollmentJson.ToIndividual(enrollment, await RegistrationOfAsync(grains, registrationId, context)));
    }

    private static async Task<NoContent> DeleteIndividualAsync(string registrationId, HttpContext context, IGrainFactory grains)
    {
        await Enrollment(grains, EnrollmentKind.Individual, registrationId).DeleteAsync(context.Request.Headers.IfMatch.ToString(), context.RequestAborted);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<AttestationMechanismJson>> IndividualAttestationAsync(string registrationId, HttpContext context, IGrainFactory grains) =>
        TypedResults.Ok(EnrollmentJson.ToAttestation((await ExistingAsync(grains, EnrollmentKind.Individual, registrationId, context)).Attestation));

    private static async Task<Ok<EnrollmentGroupJson>> PutGroupAsync(string enrollmentGroupId, HttpContext context, IGrainFactory grains)
    {
        var body = await JsonBody.ReadAsync(context, ProvisioningJsonContext.Default.EnrollmentGroupJson, MaxBodyBytes);
        var stored = await Enrollment(grains, EnrollmentKind.Group, enrollmentGroupId)
            .CreateOrUpdateAsync(EnrollmentJson.FromGroup(body, enrollmentGroupId), context.Request.Headers.IfMatch.ToString(), context.RequestAborted);
        return TypedResults.Ok(EnrollmentJson.ToGroup(stored));
    }

    private static async Task<Ok<EnrollmentGroupJson>> GetGroupAsync(string enrollmentGroupId, HttpContext context, IGrainFactory grains) =>
        TypedResults.Ok(EnrollmentJson.ToGroup(await ExistingAsync(grains, EnrollmentKind.Group, enrollmentGroupId, context)));

    private static async Task<NoContent> DeleteGroupAsync(string enrollmentGroupId, HttpContext context, IGrainFactory grains)
    {
        await Enrollment(grains, EnrollmentKind.Group, enrollmentGroupId).DeleteAsync(context.Request.Headers.IfMatch.ToString(), context.RequestAborted);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<AttestationMechanismJson>> GroupAttestationAsync(string enrollmentGroupId, HttpContext context, IGrainFactory grains) =>
        TypedResults.Ok(EnrollmentJson.ToAttestation((await ExistingAsync(grains, EnrollmentKind.Group, enrollmentGroupId, context)).Attestation, isGroup: true));

    private static async Task<Ok<List<IndividualEnrollmentJson>>> QueryIndividualsAsync(HttpContext context, IGrainFactory grains)
    {
        var enrollments = await QueryPageAsync(context, grains, EnrollmentKind.Individual, "Enrollment");
        var page = new List<IndividualEnrollmentJson>();
        foreach (var enrollment in enrollments)
        {
            page.Add(EnrollmentJson.ToIndividual(enrollment, await RegistrationOfAsync(grains, enrollment.Id, context)));
        }

        return TypedResults.Ok(page);
    }

    private static async Task<Ok<List<EnrollmentGroupJson>>> QueryGroupsAsync(HttpContext context, IGrainFactory grains) =>
        TypedResults.Ok((await QueryPageAsync(context, grains, EnrollmentKind.Group, "EnrollmentGroup")).Select(EnrollmentJson.ToGroup).ToList());

    /// <summary>A page of enrollments in id order: DPS's query takes <c>*</c> only, paged by the continuation (the last id).</summary>
    private static async Task<List<Enrollment>> QueryPageAsync(HttpContext context, IGrainFactory grains, EnrollmentKind kind, string itemType)
    {
        await ProvisioningQuery.ReadAsync(context);
        var size = QueryEndpoints.PageSize(context, ProvisioningQuery.MaxPageSize);
        var ids = await grains.GetGrain<IProvisioningServiceGrain>(IProvisioningServiceGrain.Key)
            .ListEnrollmentsAsync(kind, QueryEndpoints.Continuation(context), size + 1, context.RequestAborted);
        var enrollments = new List<Enrollment>();
        foreach (var id in ids.Take(size))
        {
            if (await Enrollment(grains, kind, id).GetAsync(context.RequestAborted) is { } enrollment)
            {
                enrollments.Add(enrollment);
            }
        }

        ProvisioningQuery.WritePageHeaders(context, itemType, ids.Count > size ? ids[size - 1] : null);
        return enrollments;
    }

    private static IEnrollmentGrain Enrollment(IGrainFactory grains, EnrollmentKind kind, string id) =>
        grains.GetGrain<IEnrollmentGrain>(EnrollmentKey.Create(kind, id));

    private static async Task<Enrollment> ExistingAsync(IGrainFactory grains, EnrollmentKind kind, string id, HttpContext context) =>
        await Enrollment(grains, kind, id).GetAsync(context.RequestAborted)
            ?? throw new DeviceFabricException(DeviceFabricErrorCode.EnrollmentNotFound, kind == EnrollmentKind.Individual ? $"No enrollment for {id}." : $"No enrollment group {id}.");

    private static Task<DeviceRegistrationState?> RegistrationOfAsync(IGrainFactory grains, string registrationId, HttpContext context) =>
        grains.GetGrain<IDeviceRegistrationGrain>(registrationId).GetStateAsync(context.RequestAborted);
}
