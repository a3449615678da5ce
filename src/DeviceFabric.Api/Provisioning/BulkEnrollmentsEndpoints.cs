using DeviceFabric.Api.Http;
using DeviceFabric.Contracts.Provisioning;
using DeviceFabric.Provisioning;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace DeviceFabric.Api.Provisioning;

/// <summary>
/// DPS's bulk operation on individual enrollments (<c>POST /enrollments</c>): up to 10 at once, each created, updated
/// (with or without its etag) or deleted on its own; the answer lists the ones that failed and why.
/// </summary>
internal static class BulkEnrollmentsEndpoints
{
    public const int MaxItems = 10;
    private const long MaxBodyBytes = 640 * 1024;

    public static void MapBulkEnrollments(this RouteGroupBuilder provisioning) =>
        provisioning.MapPost("/enrollments", RunAsync).WithName("RunBulkEnrollmentOperation").WithTags("Provisioning: enrollments")
            .WithSummary("Creates, updates or deletes up to 10 individual enrollments")
            .DocumentsBody<BulkEnrollmentOperationJson>().RequireProvisioningRights(ProvisioningRights.EnrollmentWrite);

    private static async Task<Ok<BulkEnrollmentOperationResultJson>> RunAsync(HttpContext context, IGrainFactory grains)
    {
        var body = await JsonBody.ReadAsync(context, ProvisioningJsonContext.Default.BulkEnrollmentOperationJson, MaxBodyBytes);
        var items = body.Enrollments ?? [];
        if (items.Count is 0 or > MaxItems)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, $"A bulk operation takes 1 to {MaxItems} enrollments.");
        }

        var mode = body.Mode?.ToUpperInvariant() switch
        {
            "CREATE" or "UPDATE" or "UPDATEIFMATCHETAG" or "DELETE" => body.Mode.ToUpperInvariant(),
            _ => throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, "mode must be create, update, updateIfMatchETag or delete."),
        };

        var result = new BulkEnrollmentOperationResultJson { IsSuccessful = true };
        foreach (var item in items)
        {
            try
            {
                await ApplyAsync(grains, mode, item, context.RequestAborted);
            }
            catch (DeviceFabricException ex)
            {
                result.IsSuccessful = false;
                result.Errors.Add(new BulkEnrollmentOperationErrorJson { RegistrationId = item.RegistrationId, ErrorCode = (int)ex.Code, ErrorStatus = ex.Message });
            }
        }

        return TypedResults.Ok(result);
    }

    private static async Task ApplyAsync(IGrainFactory grains, string mode, IndividualEnrollmentJson item, CancellationToken cancellationToken)
    {
        var id = item.RegistrationId ?? throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, "Every enrollment needs its registrationId.");
        var grain = grains.GetGrain<IEnrollmentGrain>(EnrollmentKey.Create(EnrollmentKind.Individual, id));
        switch (mode)
        {
            case "DELETE":
                await grain.DeleteAsync(item.Etag, cancellationToken);
                break;
            case "CREATE" when await grain.GetAsync(cancellationToken) is not null:
                throw new DeviceFabricException(DeviceFabricErrorCode.PreconditionFailed, $"An enrollment for {id} exists already.");
            default:
                await grain.CreateOrUpdateAsync(EnrollmentJson.FromIndividual(item, id), mode == "UPDATEIFMATCHETAG" ? item.Etag : null, cancellationToken);
                break;
        }
    }
}
