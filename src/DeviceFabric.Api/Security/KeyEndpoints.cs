using System.Globalization;
using DeviceFabric.Api.Devices;
using DeviceFabric.Api.Http;
using DeviceFabric.Contracts;
using DeviceFabric.Contracts.Security;
using DeviceFabric.Devices;
using DeviceFabric.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace DeviceFabric.Api.Security;

/// <summary>
/// Key rollover: a device's <c>regenerateKey</c> (as the az CLI's renew-key), and the hub's policies (list, create or
/// update, delete, regenerate), whose management takes a policy with every right.
/// </summary>
internal static class KeyEndpoints
{
    private const long MaxBodyBytes = 8 * 1024;

    public static void MapKeys(this RouteGroupBuilder api)
    {
        api.MapPost("/devices/{deviceId}/regenerateKey", RegenerateDeviceKeyAsync).WithTags("Devices").WithName("RegenerateDeviceKey")
            .WithSummary("Regenerates a device's primary or secondary key, or swaps them; only sessions that used the replaced key close")
            .DocumentsBody<RegenerateKeyJson>("application/json").RequireRights(AccessRights.RegistryWrite);

        var policies = api.MapGroup("/policies").WithTags("Policies");
        api.MapGet("/policies", ListPoliciesAsync).WithTags("Policies").WithName("ListPolicies").WithSummary("Lists the hub's shared access policies with their keys")
            .RequireRights(AccessRights.All);
        policies.MapGet("/{keyName}", GetPolicyAsync).WithName("GetPolicy").WithSummary("Reads a policy with its keys").RequireRights(AccessRights.All);
        policies.MapPut("/{keyName}", PutPolicyAsync).WithName("PutPolicy").WithSummary("Creates a policy or replaces its rights and keys (empty keys are kept or generated)")
            .DocumentsBody<SharedAccessPolicyJson>("application/json").RequireRights(AccessRights.All);
        policies.MapDelete("/{keyName}", DeletePolicyAsync).WithName("DeletePolicy").WithSummary("Deletes a policy; its tokens and device sessions stop at once")
            .RequireRights(AccessRights.All);
        policies.MapPost("/{keyName}/regenerateKey", RegeneratePolicyKeyAsync).WithName("RegeneratePolicyKey")
            .WithSummary("Regenerates a policy's primary or secondary key, or swaps them").DocumentsBody<RegenerateKeyJson>("application/json")
            .RequireRights(AccessRights.All);
    }

    private static async Task<Ok<DeviceJson>> RegenerateDeviceKeyAsync(string deviceId, HttpContext context, IGrainFactory grains)
    {
        DeviceIdRules.ThrowIfInvalid(deviceId);
        var body = await JsonBody.ReadAsync(context, ContractsJsonContext.Default.RegenerateKeyJson, MaxBodyBytes);
        var device = await DevicesEndpoints.Device(context, grains, deviceId)
            .RegenerateKeyAsync(SecurityMapper.ParseRollover(body.KeyType), context.Request.Headers.IfMatch.ToString(), context.RequestAborted);
        context.Response.Headers.ETag = string.Create(CultureInfo.InvariantCulture, $"\"{device.ETag}\"");
        return TypedResults.Ok(DeviceMapper.ToJson(device));
    }

    private static async Task<Ok<ValueListJson<SharedAccessPolicyJson>>> ListPoliciesAsync(HttpContext context, IGrainFactory grains)
    {
        var policies = await Hub(context, grains).GetAccessPoliciesAsync(context.RequestAborted);
        return TypedResults.Ok(new ValueListJson<SharedAccessPolicyJson> { Value = policies.Select(SecurityMapper.ToJson).ToList() });
    }

    private static async Task<Ok<SharedAccessPolicyJson>> GetPolicyAsync(string keyName, HttpContext context, IGrainFactory grains)
    {
        var policies = await Hub(context, grains).GetAccessPoliciesAsync(context.RequestAborted);
        var policy = policies.FirstOrDefault(p => p.KeyName == keyName)
            ?? throw new DeviceFabricException(DeviceFabricErrorCode.PolicyNotFound, $"The hub has no policy {keyName}.");
        return TypedResults.Ok(SecurityMapper.ToJson(policy));
    }

    private static async Task<Ok<SharedAccessPolicyJson>> PutPolicyAsync(string keyName, HttpContext context, IGrainFactory grains)
    {
        var body = await JsonBody.ReadAsync(context, ContractsJsonContext.Default.SharedAccessPolicyJson, MaxBodyBytes);
        if (body.KeyName is not null && !string.Equals(body.KeyName, keyName, StringComparison.Ordinal))
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, "The keyName in the body differs from the one in the path.");
        }

        var settings = new PolicySettings(keyName, SecurityMapper.ParseRights(body.Rights), NullIfEmpty(body.PrimaryKey), NullIfEmpty(body.SecondaryKey));
        return TypedResults.Ok(SecurityMapper.ToJson(await Hub(context, grains).PutPolicyAsync(settings, context.RequestAborted)));
    }

    private static async Task<NoContent> DeletePolicyAsync(string keyName, HttpContext context, IGrainFactory grains)
    {
        await Hub(context, grains).DeletePolicyAsync(keyName, context.RequestAborted);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<SharedAccessPolicyJson>> RegeneratePolicyKeyAsync(string keyName, HttpContext context, IGrainFactory grains)
    {
        var body = await JsonBody.ReadAsync(context, ContractsJsonContext.Default.RegenerateKeyJson, MaxBodyBytes);
        var policy = await Hub(context, grains).RegenerateKeyAsync(keyName, SecurityMapper.ParseRollover(body.KeyType), context.RequestAborted);
        return TypedResults.Ok(SecurityMapper.ToJson(policy));
    }

    private static IHubGrain Hub(HttpContext context, IGrainFactory grains) => grains.GetGrain<IHubGrain>(RequireRightsFilter.HubOf(context));

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
