using DeviceFabric.Api.Http;
using DeviceFabric.Contracts;
using DeviceFabric.Contracts.Security;
using DeviceFabric.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace DeviceFabric.Api.Security;

/// <summary>
/// A hub's CA certificates in IoT Hub's management API shapes (<c>/certificates/{name}</c> with proof of possession),
/// its revocation list (<c>/certificates/revocations</c>) and the certificates about to expire.
/// </summary>
internal static class CertificatesEndpoints
{
    private const long MaxBodyBytes = 64 * 1024;

    public static void MapCertificates(this RouteGroupBuilder api)
    {
        var certificates = api.MapGroup("/certificates").WithTags("Certificates");
        api.MapGet("/certificates", ListAsync).WithTags("Certificates").WithName("ListCertificates").WithSummary("Lists the hub's CA certificates").RequireRights(AccessRights.RegistryRead);
        certificates.MapGet("/revocations", ListRevocationsAsync).WithName("ListRevocations").WithSummary("Lists the hub's revoked certificates")
            .RequireRights(AccessRights.RegistryRead);
        certificates.MapPost("/revocations", RevokeAsync).WithName("RevokeCertificate")
            .WithSummary("Revokes a certificate by thumbprint or serial number; it and every certificate beneath it are refused and their sessions closed")
            .DocumentsBody<RevocationJson>("application/json").RequireRights(AccessRights.RegistryWrite);
        certificates.MapDelete("/revocations/{key}", RemoveRevocationAsync).WithName("RemoveRevocation")
            .WithSummary("Takes a certificate off the revocation list").RequireRights(AccessRights.RegistryWrite);
        certificates.MapGet("/expiring", ExpiringAsync).WithName("ListExpiringCertificates")
            .WithSummary("Lists the server, CA and device certificates that expire within withinDays (default: the node's warning window)")
            .RequireRights(AccessRights.RegistryRead);
        certificates.MapGet("/{name}", GetAsync).WithName("GetCertificate").WithSummary("Reads a CA certificate").RequireRights(AccessRights.RegistryRead);
        certificates.MapPut("/{name}", PutAsync).WithName("PutCertificate")
            .WithSummary("Uploads a CA certificate (unverified) or replaces it (If-Match)").DocumentsBody<CertificateJson>("application/json")
            .RequireRights(AccessRights.RegistryWrite);
        certificates.MapDelete("/{name}", DeleteAsync).WithName("DeleteCertificate").WithSummary("Deletes a CA certificate (If-Match); devices beneath it are refused")
            .RequireRights(AccessRights.RegistryWrite);
        certificates.MapPost("/{name}/generateVerificationCode", GenerateCodeAsync).WithName("GenerateVerificationCode")
            .WithSummary("Issues the code a proof-of-possession certificate's CN must carry (If-Match)").RequireRights(AccessRights.RegistryWrite);
        certificates.MapPost("/{name}/verify", VerifyAsync).WithName("VerifyCertificate")
            .WithSummary("Verifies the CA with a certificate it signed whose CN is the verification code (If-Match)")
            .DocumentsBody<CertificateVerificationJson>("application/json").RequireRights(AccessRights.RegistryWrite);
    }

    private static async Task<Ok<ValueListJson<CertificateJson>>> ListAsync(HttpContext context, IGrainFactory grains)
    {
        var list = await Certificates(context, grains).ListAsync(context.RequestAborted);
        return TypedResults.Ok(new ValueListJson<CertificateJson> { Value = list.Select(c => SecurityMapper.ToJson(c)).ToList() });
    }

    private static async Task<Ok<CertificateJson>> GetAsync(string name, HttpContext context, IGrainFactory grains)
    {
        var info = await Certificates(context, grains).GetAsync(name, context.RequestAborted)
            ?? throw new DeviceFabricException(DeviceFabricErrorCode.CertificateNotFound, $"The hub has no certificate {name}.");
        return Result(context, SecurityMapper.ToJson(info));
    }

    private static async Task<Ok<CertificateJson>> PutAsync(string name, HttpContext context, IGrainFactory grains)
    {
        var body = await JsonBody.ReadAsync(context, ContractsJsonContext.Default.CertificateJson, MaxBodyBytes);
        var properties = body.Properties ?? throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, "properties is required.");
        var info = await Certificates(context, grains).PutAsync(
            name, properties.Certificate ?? string.Empty, properties.IsVerified == true, IfMatch(context), context.RequestAborted);
        return Result(context, SecurityMapper.ToJson(info));
    }

    private static async Task<NoContent> DeleteAsync(string name, HttpContext context, IGrainFactory grains)
    {
        await Certificates(context, grains).DeleteAsync(name, RequiredIfMatch(context), context.RequestAborted);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<CertificateJson>> GenerateCodeAsync(string name, HttpContext context, IGrainFactory grains)
    {
        var info = await Certificates(context, grains).GenerateVerificationCodeAsync(name, RequiredIfMatch(context), context.RequestAborted);
        return Result(context, SecurityMapper.ToJson(info, withVerificationCode: true));
    }

    private static async Task<Ok<CertificateJson>> VerifyAsync(string name, HttpContext context, IGrainFactory grains)
    {
        var body = await JsonBody.ReadAsync(context, ContractsJsonContext.Default.CertificateVerificationJson, MaxBodyBytes);
        var info = await Certificates(context, grains).VerifyAsync(name, body.Certificate ?? string.Empty, RequiredIfMatch(context), context.RequestAborted);
        return Result(context, SecurityMapper.ToJson(info));
    }

    private static async Task<Ok<ValueListJson<RevocationJson>>> ListRevocationsAsync(HttpContext context, IGrainFactory grains)
    {
        var list = await Certificates(context, grains).ListRevocationsAsync(context.RequestAborted);
        return TypedResults.Ok(new ValueListJson<RevocationJson> { Value = list.Select(SecurityMapper.ToJson).ToList() });
    }

    private static async Task<Ok<RevocationJson>> RevokeAsync(HttpContext context, IGrainFactory grains)
    {
        var body = await JsonBody.ReadAsync(context, ContractsJsonContext.Default.RevocationJson, MaxBodyBytes);
        var entry = await Certificates(context, grains).RevokeAsync(body.Thumbprint, body.SerialNumber, body.Reason ?? string.Empty, context.RequestAborted);
        return TypedResults.Ok(SecurityMapper.ToJson(entry));
    }

    private static async Task<NoContent> RemoveRevocationAsync(string key, HttpContext context, IGrainFactory grains)
    {
        await Certificates(context, grains).RemoveRevocationAsync(key, context.RequestAborted);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<ValueListJson<ExpiringCertificateJson>>> ExpiringAsync(HttpContext context, IGrainFactory grains, int? withinDays)
    {
        var expiring = context.RequestServices.GetService(typeof(CertificateExpiry)) as CertificateExpiry
            ?? throw new InvalidOperationException("CertificateExpiry is not registered.");
        var window = withinDays is { } days
            ? days is >= 0 and <= 3650 ? TimeSpan.FromDays(days) : throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, "withinDays must be between 0 and 3650.")
            : (TimeSpan?)null;
        var list = await expiring.ListAsync(RequireRightsFilter.HubOf(context), window, context.RequestAborted);
        return TypedResults.Ok(new ValueListJson<ExpiringCertificateJson>
        {
            Value = list.Select(c => new ExpiringCertificateJson { Kind = c.Kind, Name = c.Name, Thumbprint = c.Thumbprint, NotAfter = c.NotAfter }).ToList(),
        });
    }

    private static Ok<CertificateJson> Result(HttpContext context, CertificateJson json)
    {
        context.Response.Headers.ETag = json.Etag;
        return TypedResults.Ok(json);
    }

    private static IHubCertificatesGrain Certificates(HttpContext context, IGrainFactory grains) =>
        grains.GetGrain<IHubCertificatesGrain>(RequireRightsFilter.HubOf(context));

    private static string? IfMatch(HttpContext context) =>
        context.Request.Headers.IfMatch.ToString() is { Length: > 0 } value ? value : null;

    /// <summary>IoT Hub's management API requires the etag for delete, code generation and verification.</summary>
    private static string RequiredIfMatch(HttpContext context) =>
        IfMatch(context) ?? throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, "If-Match is required: the certificate's etag, or *.");
}
