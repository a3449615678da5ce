using System.CommandLine;
using System.Text.Json.Nodes;

namespace DeviceFabric.Cli.Commands.Management;

/// <summary>
/// <c>dt binding</c>: which devices keep which twins (<c>/bindings</c>): rules by Plug and Play model id, and one
/// device bound to one twin over any rule.
/// </summary>
internal static class DigitalTwinBindingCommands
{
    public static Command Group() => CliCommand.Group("binding", "Devices keeping digital twins: by model id rule, or one device to one twin.",
        List(),
        CliCommand.Group("rule", "Rules: every device announcing a model id keeps the twin a pattern names.", RuleCreate(), RuleDelete()),
        CliCommand.Group("device", "One device bound to one twin, over any rule.", DeviceCreate(), DeviceDelete()));

    private static Command List() => CliCommand.Create("list", "Lists the rules and the devices' own bindings.", async (session, ct) =>
    {
        var bindings = await session.DigitalTwins.GetAsync("/bindings", ct).ConfigureAwait(false);
        if (session.Format != OutputFormat.Table)
        {
            return ManagementArgs.Print(session, bindings);
        }

        // One table for both: a rule's row names its model and pattern, a device's its twin.
        var rows = new JsonArray();
        foreach (var rule in bindings?["rules"] as JsonArray ?? [])
        {
            rows.Add(new JsonObject { ["kind"] = "rule", ["id"] = rule?["ruleId"]?.DeepClone(), ["modelId"] = rule?["modelId"]?.DeepClone(), ["twin"] = rule?["twinIdPattern"]?.DeepClone(), ["createTwins"] = rule?["createTwins"]?.DeepClone() });
        }

        foreach (var (device, twin) in bindings?["devices"] as JsonObject ?? [])
        {
            rows.Add(new JsonObject { ["kind"] = "device", ["id"] = device, ["twin"] = twin?.DeepClone() });
        }

        return ManagementArgs.Print(session, rows, CliColumn.At("Kind", "kind"), CliColumn.At("Id", "id"), CliColumn.At("ModelId", "modelId"),
            CliColumn.At("Twin", "twin"), CliColumn.At("CreateTwins", "createTwins"));
    });

    private static Command RuleCreate()
    {
        var id = ManagementArgs.Required("--rule-id", "The rule's id.");
        var model = ManagementArgs.Required("--model-id", "The Plug and Play model id devices announce (the MQTT username's model-id).", "--dtmi");
        var pattern = ManagementArgs.Required("--twin-id-pattern", "The twin each device keeps: room-{deviceId}.", "--pattern");
        var create = new Option<bool>("--create-twins") { Description = "Make a device's twin when it is missing.", DefaultValueFactory = _ => true };
        return CliCommand.Create("create", "Creates (or replaces) a binding rule.", async (session, ct) =>
        {
            var body = new JsonObject { ["modelId"] = session.Get(model), ["twinIdPattern"] = session.Get(pattern), ["createTwins"] = session.Get(create) };
            var rule = await session.DigitalTwins.PutAsync("/bindings/rules/" + ManagementArgs.Segment(session.Get(id)!), body, cancellationToken: ct).ConfigureAwait(false);
            return ManagementArgs.Print(session, rule, CliColumn.At("RuleId", "ruleId"), CliColumn.At("ModelId", "modelId"), CliColumn.At("Pattern", "twinIdPattern"), CliColumn.At("CreateTwins", "createTwins"));
        }, id, model, pattern, create);
    }

    private static Command RuleDelete()
    {
        var id = ManagementArgs.Required("--rule-id", "The rule's id.");
        return CliCommand.Create("delete", "Deletes a binding rule.", async (session, ct) =>
        {
            await session.DigitalTwins.DeleteAsync("/bindings/rules/" + ManagementArgs.Segment(session.Get(id)!), null, ct).ConfigureAwait(false);
            return 0;
        }, id);
    }

    private static Command DeviceCreate()
    {
        var device = ManagementArgs.Required("--device-id", "The device.", "-d");
        var twin = DigitalTwinCommands.TwinId();
        return CliCommand.Create("create", "Binds a device to a twin: its reported properties and telemetry go to the twin.", async (session, ct) =>
        {
            await session.DigitalTwins.PutAsync("/bindings/devices/" + ManagementArgs.Segment(session.Get(device)!), new JsonObject { ["twinId"] = session.Get(twin) }, cancellationToken: ct)
                .ConfigureAwait(false);
            return 0;
        }, device, twin);
    }

    private static Command DeviceDelete()
    {
        var device = ManagementArgs.Required("--device-id", "The device.", "-d");
        return CliCommand.Create("delete", "Removes a device's own binding (a rule may still bind it).", async (session, ct) =>
        {
            await session.DigitalTwins.DeleteAsync("/bindings/devices/" + ManagementArgs.Segment(session.Get(device)!), null, ct).ConfigureAwait(false);
            return 0;
        }, device);
    }
}
