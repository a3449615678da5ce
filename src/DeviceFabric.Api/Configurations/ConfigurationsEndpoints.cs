using System.Globalization;
using DeviceFabric.Api.Http;
using DeviceFabric.Api.Security;
using DeviceFabric.Configurations;
using DeviceFabric.Contracts;
using DeviceFabric.Contracts.Configurations;
using DeviceFabric.Devices;
using DeviceFabric.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace DeviceFabric.Api.Configurations;

/// <summary>
/// IoT Hub's automatic device configurations and IoT Edge deployments: <c>/configurations/{id}</c> (PUT creates, or
/// updates with <c>If-Match</c>; GET; DELETE), <c>/configurations</c> (list, <c>top</c>), <c>/configurations/testQueries</c>,
/// and <c>/devices/{id}/applyConfigurationContent</c> for one edge device.
/// </summary>
internal static class ConfigurationsEndpoints
{
    private const long MaxBodyBytes = 512 * 1024;

    public static void MapConfigurations(this RouteGroupBuilder api)
    {
        var configurations = api.MapGroup("/configurations").WithTags("Configurations");
        api.MapGet("/configurations", ListAsync).WithTags("Configurations").WithName("ListConfigurations").WithSummary("Lists the hub's configurations and deployments with their counts")
            .RequireRights(AccessRights.RegistryRead);
        configurations.MapPut("/{id}", PutAsync).WithName("PutConfiguration")
            .WithSummary("Creates a configuration, or with If-Match updates its target condition, priority, labels and metrics (content is fixed)")
            .DocumentsBody<ConfigurationJson>("application/json").RequireRights(AccessRights.RegistryWrite);
        configurations.MapGet("/{id}", GetAsync).WithName("GetConfiguration").WithSummary("Reads a configuration with its counts")
            .RequireRights(AccessRights.RegistryRead);
        configurations.MapDelete("/{id}", DeleteAsync).WithName("DeleteConfiguration")
            .WithSummary("Deletes a configuration (If-Match honoured); its twins fall back to the next configuration or lose its settings")
            .RequireRights(AccessRights.RegistryWrite);
        configurations.MapPost("/testQueries", TestQueriesAsync).WithName("TestConfigurationQueries")
            .WithSummary("Checks a target condition and metric queries; errors are in the body").DocumentsBody<ConfigurationQueriesJson>("application/json")
            .RequireRights(AccessRights.RegistryRead);
        api.MapPost("/devices/{deviceId}/applyConfigurationContent", ApplyAsync).WithTags("Configurations").WithName("ApplyConfigurationContent")
            .WithSummary("Writes an IoT Edge manifest into one edge device's module twins").DocumentsBody<ConfigurationContentJson>("application/json")
            .RequireRights(AccessRights.RegistryWrite);
    }

    private static async Task<Ok<List<ConfigurationJson>>> ListAsync(HttpContext context, IGrainFactory grains, int? top)
    {
        var list = await Grain(context, grains).ListAsync(top ?? IConfigurationsGrain.MaxConfigurations, context.RequestAborted);
        return TypedResults.Ok(list.Select(ConfigurationMapper.ToJson).ToList());
    }

    private static async Task<Ok<ConfigurationJson>> PutAsync(string id, HttpContext context, IGrainFactory grains)
    {
        var body = await JsonBody.ReadAsync(context, ContractsJsonContext.Default.ConfigurationJson, MaxBodyBytes);
        if (body.Id is { Length: > 0 } bodyId && bodyId != id)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, "The id in the body differs from the one in the path.");
        }

        var stored = await Grain(context, grains).PutAsync(id, ConfigurationMapper.ToSettings(body), NullIfEmpty(context.Request.Headers.IfMatch.ToString()), context.RequestAborted);
        return Result(context, stored);
    }

    private static async Task<Ok<ConfigurationJson>> GetAsync(string id, HttpContext context, IGrainFactory grains) =>
        Result(context, await Grain(context, grains).GetAsync(id, context.RequestAborted));

    private static async Task<NoContent> DeleteAsync(string id, HttpContext context, IGrainFactory grains)
    {
        await Grain(context, grains).DeleteAsync(id, NullIfEmpty(context.Request.Headers.IfMatch.ToString()), context.RequestAborted);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<ConfigurationQueryErrorsJson>> TestQueriesAsync(HttpContext context, IGrainFactory grains)
    {
        var body = await JsonBody.ReadAsync(context, ContractsJsonContext.Default.ConfigurationQueriesJson, MaxBodyBytes);
        var errors = await Grain(context, grains).TestQueriesAsync(body.TargetCondition, body.CustomMetricQueries ?? [], context.RequestAborted);
        return TypedResults.Ok(new ConfigurationQueryErrorsJson
        {
            TargetConditionError = errors.TargetConditionError,
            CustomMetricQueryErrors = new Dictionary<string, string>(errors.CustomMetricQueryErrors),
        });
    }

    private static async Task<NoContent> ApplyAsync(string deviceId, HttpContext context, IGrainFactory grains)
    {
        DeviceIdRules.ThrowIfInvalid(deviceId);
        var body = await JsonBody.ReadAsync(context, ContractsJsonContext.Default.ConfigurationContentJson, MaxBodyBytes);
        await Grain(context, grains).ApplyToDeviceAsync(deviceId, ConfigurationMapper.ToContent(body), context.RequestAborted);
        return TypedResults.NoContent();
    }

    private static IConfigurationsGrain Grain(HttpContext context, IGrainFactory grains) =>
        grains.GetGrain<IConfigurationsGrain>(RequireRightsFilter.HubOf(context));

    private static Ok<ConfigurationJson> Result(HttpContext context, ConfigurationDefinition configuration)
    {
        context.Response.Headers.ETag = string.Create(CultureInfo.InvariantCulture, $"\"{configuration.ETag}\"");
        return TypedResults.Ok(ConfigurationMapper.ToJson(configuration));
    }

    private static string? NullIfEmpty(string value) => string.IsNullOrEmpty(value) ? null : value;
}
