using System.Text.Json.Nodes;
using DeviceFabric.Devices;
using DeviceFabric.Methods;

namespace DeviceFabric.DigitalTwins;

/// <summary>How the binder hands a twin its device's values.</summary>
[Alias("devicefabric.IDigitalTwinDeviceGrain")]
internal interface IDigitalTwinDeviceGrain : IGrainWithStringKey
{
    /// <summary>
    /// Keeps the values the twin's model defines as properties (of a component, when named; a Plug and Play component
    /// object in a reported patch is taken as that component's); creates the twin of <paramref name="createWithModel"/>
    /// when it does not exist and a rule says so. Values that do not fit the model are left out, not refused.
    /// </summary>
    /// <remarks>
    /// A rule's binding (<paramref name="ruleModelId"/> set) never takes over a twin another device keeps, nor one of
    /// another model; a device's own binding (<paramref name="ruleModelId"/> null) always applies.
    /// </remarks>
    Task ApplyDeviceDataAsync(string deviceId, string? ruleModelId, string? createWithModel, string valuesJson, string? component, DateTimeOffset sourceTime, CancellationToken cancellationToken = default);
}

/// <summary>The twin as its device keeps it: values from reported properties and telemetry, and commands sent back as direct methods.</summary>
internal sealed partial class DigitalTwinGrain
{
    public async Task ApplyDeviceDataAsync(
        string deviceId, string? ruleModelId, string? createWithModel, string valuesJson, string? component, DateTimeOffset sourceTime, CancellationToken cancellationToken = default)
    {
        if (!state.State.Exists && createWithModel is null)
        {
            return;
        }

        var modelId = state.State.Exists ? state.State.ModelId : createWithModel!;
        var catalog = await models.GetAsync(GrainFactory, Hub, modelId);
        if (!catalog.Models.TryGetValue(modelId, out var model))
        {
            return;
        }

        // A twin another device keeps is not taken over by a rule; one of another model is not a rule's twin.
        if (ruleModelId is not null && state.State.Exists
            && ((state.State.DeviceId is { } keeper && keeper != deviceId) || !catalog.IsOf(state.State.ModelId, ruleModelId)))
        {
            return;
        }

        var contents = state.State.Exists ? JsonNode.Parse(state.State.Contents)!.AsObject() : [];
        foreach (var name in model.Components.Keys.Where(name => contents[name] is not JsonObject))
        {
            contents[name] = new JsonObject { ["$metadata"] = new JsonObject() };
        }

        var given = new JsonObject();
        var values = JsonNode.Parse(valuesJson)!.AsObject();
        var held = state.State.Exists ? JsonNode.Parse(state.State.Metadata)!.AsObject() : [];
        var changed = component is null
            ? Merge(model, catalog, contents, values, given, held, sourceTime)
            : model.Components.TryGetValue(component, out var interfaceId) && catalog.Models.TryGetValue(interfaceId, out var part)
                && Keep(part, (JsonObject)contents[component]!, values, Given(given, component), contents[component]!["$metadata"] as JsonObject, sourceTime);
        instruments.DeviceUpdated(component is null && values.Any(v => v.Value is JsonObject) ? "reported" : "values", changed);
        if (!changed && state.State.Exists && state.State.DeviceId == deviceId)
        {
            return;
        }

        StampSourceTimes(given, sourceTime);
        await WriteAsync(modelId, contents, given, newModel: !state.State.Exists, cancellationToken, device: deviceId);
    }

    public async Task<DirectMethodResult> InvokeCommandAsync(
        string command, string? component, string payloadJson, TimeSpan responseTimeout, TimeSpan connectTimeout, CancellationToken cancellationToken = default)
    {
        RequireExists();
        var catalog = await models.GetAsync(GrainFactory, Hub, state.State.ModelId);
        var model = catalog.Models.GetValueOrDefault(state.State.ModelId);
        var commands = component is null ? model?.Commands
            : model is not null && model.Components.TryGetValue(component, out var interfaceId) ? catalog.Models.GetValueOrDefault(interfaceId)?.Commands : null;
        if (commands is null || !commands.ContainsKey(command))
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, $"The model of twin {TwinId} has no command {(component is null ? command : $"{component}.{command}")}.");
        }

        // The device must still be bound to this twin (its own binding, or a rule naming this twin for it).
        var bindings = await GrainFactory.GetGrain<IDigitalTwinBindingsGrain>(Hub).GetBindingsAsync(-1, cancellationToken);
        var device = state.State.DeviceId is { } last
            && ((bindings.Devices!.TryGetValue(last, out var bound) && bound == TwinId)
                || (!bindings.Devices.ContainsKey(last) && bindings.Rules!.Any(r => r.TwinIdOf(last) == TwinId)))
            ? last
            : throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, $"No device keeps twin {TwinId}: bind one to send it commands.");
        var method = component is null ? command : $"{component}*{command}";
        return await GrainFactory.GetGrain<IDeviceMethodGrain>(DeviceKey.Create(Hub, device))
            .InvokeMethodAsync(new DirectMethodRequest(method, payloadJson, responseTimeout, connectTimeout), cancellationToken);
    }

    /// <summary>Keeps the twin's own properties, and takes component objects (<c>"__t": "c"</c> or not) as their components'.</summary>
    private static bool Merge(
        DtdlInterface model, DigitalTwinModelCache.Catalog catalog, JsonObject contents, JsonObject values, JsonObject given, JsonObject held, DateTimeOffset sourceTime)
    {
        var changed = Keep(model, contents, values, given, held, sourceTime);
        foreach (var (name, value) in values)
        {
            if (value is JsonObject part && model.Components.TryGetValue(name, out var interfaceId) && catalog.Models.TryGetValue(interfaceId, out var component))
            {
                changed |= Keep(component, (JsonObject)contents[name]!, part, Given(given, name), contents[name]!["$metadata"] as JsonObject, sourceTime);
            }
        }

        return changed;
    }

    /// <summary>
    /// Copies each value whose name is a property of <paramref name="model"/> and that fits its schema, and removes one
    /// the device reported as null; returns whether any changed. Telemetry and reported properties come by different
    /// streams: a value older than the one the twin holds (by source time) is left out, so order of arrival never wins.
    /// </summary>
    private static bool Keep(DtdlInterface model, JsonObject target, JsonObject values, JsonObject given, JsonObject? held, DateTimeOffset sourceTime)
    {
        var changed = false;
        foreach (var (name, value) in values)
        {
            if (name.StartsWith('$') || !model.Properties.TryGetValue(name, out var property)
                || (value is not null && DtdlValidator.Check(property.Schema, value, "/" + name) is not null)
                || (held?[name]?["sourceTime"]?.GetValue<string>() is { } heldTime && DateTimeOffset.TryParse(heldTime, System.Globalization.CultureInfo.InvariantCulture, out var at) && at > sourceTime))
            {
                continue;
            }

            if (value is null)
            {
                changed |= target.Remove(name);
                continue;
            }

            if (!JsonNode.DeepEquals(target[name], value))
            {
                target[name] = value.DeepClone();
                given[name] = new JsonObject();
                changed = true;
            }
        }

        return changed;
    }

    private static JsonObject Given(JsonObject given, string component)
    {
        if (given[component] is not JsonObject part)
        {
            part = [];
            given[component] = part;
        }

        return part;
    }

    /// <summary>Each changed property gets the device's time as its <c>sourceTime</c>.</summary>
    private static void StampSourceTimes(JsonObject given, DateTimeOffset sourceTime)
    {
        foreach (var (_, entry) in given.ToList())
        {
            if (entry is JsonObject property && property.Count == 0)
            {
                property["sourceTime"] = DigitalTwinMetadata.Time(sourceTime);
            }
        }
    }
}
