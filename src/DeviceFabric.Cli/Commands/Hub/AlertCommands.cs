using System.CommandLine;
using System.Globalization;

namespace DeviceFabric.Cli.Commands.Hub;

/// <summary><c>alert</c>: the hub's alert rules (<c>/alerts/rules</c>) and the history of their firings (<c>/alerts/events</c>).</summary>
internal static class AlertCommands
{
    private static readonly CliColumn[] s_ruleColumns =
    [
        CliColumn.At("Id", "id"),
        CliColumn.At("Source", "source"),
        CliColumn.At("Condition", "condition"),
        CliColumn.At("Severity", "severity"),
        CliColumn.At("Enabled", "enabled"),
        CliColumn.At("Etag", "etag"),
    ];

    private static readonly CliColumn[] s_eventColumns =
    [
        CliColumn.At("Sequence", "sequence"),
        CliColumn.At("Time", "time"),
        CliColumn.At("RuleId", "ruleId"),
        CliColumn.At("DeviceId", "deviceId"),
        CliColumn.At("Kind", "kind"),
        CliColumn.At("Severity", "severity"),
        CliColumn.At("Value", "value"),
    ];

    public static Command Group() => CliCommand.Group(
        "alert",
        "The hub's alert rules and their firings.",
        CliCommand.Group("rule", "Alert rules.", List(), Show(), Set(), Delete()),
        Events());

    private static Option<string> Id() => new("--rule-id", "--id") { Description = "The rule's id.", Required = true };

    private static Command List() => CliCommand.Create("list", "Lists the hub's alert rules.", async (session, ct) =>
    {
        session.Console.Write(HubResults.Values(await session.Hub.GetAsync("/alerts/rules", ct)), session.Format, s_ruleColumns);
        return 0;
    });

    private static Command Show()
    {
        var id = Id();
        return CliCommand.Create("show", "Shows an alert rule.", async (session, ct) =>
        {
            session.Console.Write(await session.Hub.GetAsync(Path(session.Get(id)!), ct), session.Format, s_ruleColumns);
            return 0;
        }, id);
    }

    private static Command Set()
    {
        var id = Id();
        var json = HubOptions.RequiredText("--json", "The rule, as JSON or @file ({\"source\":\"telemetry\",\"condition\":\"temperature > 30\",...}).");
        var etag = HubOptions.Etag();
        return CliCommand.Create("set", "Creates or replaces an alert rule; a refusal names the field at fault.", async (session, ct) =>
        {
            var rule = CliJson.Parse(session.Get(json)!, "--json");
            session.Console.Write(await session.Hub.PutAsync(Path(session.Get(id)!), rule, session.Get(etag), ct), session.Format, s_ruleColumns);
            return 0;
        }, id, json, etag);
    }

    private static Command Delete()
    {
        var id = Id();
        return CliCommand.Create("delete", "Deletes an alert rule.", async (session, ct) =>
        {
            await session.Hub.DeleteAsync(Path(session.Get(id)!), null, ct);
            return 0;
        }, id);
    }

    private static Command Events()
    {
        var rule = HubOptions.Text("--rule-id", "Only this rule's events.");
        var device = HubOptions.OptionalDeviceId("Only this device's events.");
        var after = new Option<long?>("--after") { Description = "Events after this sequence number (to page on)." };
        var top = new Option<int>("--top") { Description = "At most this many events.", DefaultValueFactory = _ => 100 };
        return CliCommand.Create("events", "Lists firings and clearings, oldest first.", async (session, ct) =>
        {
            var query = new List<string> { "top=" + session.Get(top).ToString(CultureInfo.InvariantCulture) };
            AddQuery(query, "after", session.Get(after)?.ToString(CultureInfo.InvariantCulture));
            AddQuery(query, "ruleId", session.Get(rule));
            AddQuery(query, "deviceId", session.Get(device));
            session.Console.Write(HubResults.Values(await session.Hub.GetAsync("/alerts/events?" + string.Join('&', query), ct)), session.Format, s_eventColumns);
            return 0;
        }, rule, device, after, top);
    }

    /// <summary>Adds <c>name=value</c> to a query string when there is a value.</summary>
    public static void AddQuery(List<string> query, string name, string? value)
    {
        if (value is not null)
        {
            query.Add(name + "=" + HubPaths.Escape(value));
        }
    }

    private static string Path(string id) => "/alerts/rules/" + HubPaths.Escape(id);
}
