using System.CommandLine;
using System.Globalization;

namespace DeviceFabric.Cli.Commands.Hub;

/// <summary>
/// What operators ask of a fleet beyond <c>az iot hub</c>: <c>device-identity connection-history</c> (a device's or
/// module's latest connects and disconnects) and <c>events lifecycle</c> (the hub's latest lifecycle events).
/// </summary>
internal static class ActivityCommands
{
    private static readonly CliColumn[] s_historyColumns =
    [
        CliColumn.At("Time", "time"),
        CliColumn.At("State", "state"),
        CliColumn.At("SequenceNumber", "sequenceNumber"),
        CliColumn.At("Reason", "reason"),
    ];

    private static readonly CliColumn[] s_eventColumns =
    [
        CliColumn.At("Time", "time"),
        CliColumn.At("Kind", "kind"),
        CliColumn.At("DeviceId", "deviceId"),
        CliColumn.At("ModuleId", "moduleId"),
        CliColumn.At("Reason", "reason"),
    ];

    public static Command ConnectionHistory()
    {
        var device = HubOptions.DeviceId();
        var module = HubOptions.OptionalModuleId("The module's id (its history instead of the device's).");
        return CliCommand.Create("connection-history", "Shows the connection state and the latest connects and disconnects, newest first, with why each session ended.", async (session, ct) =>
        {
            var deviceId = session.Get(device)!;
            var path = (session.Get(module) is { } moduleId ? HubPaths.Module(deviceId, moduleId) : HubPaths.Device(deviceId)) + "/connections";
            var history = await session.Hub.GetAsync(path, ct);
            // A table lists the changes; JSON keeps the state beside them.
            session.Console.Write(session.Format == OutputFormat.Table ? history?["history"] : history, session.Format, s_historyColumns);
            return 0;
        }, device, module);
    }

    public static Command Lifecycle()
    {
        var top = new Option<int>("--top") { Description = "At most this many events (1-200).", DefaultValueFactory = _ => 50 };
        return CliCommand.Create("lifecycle", "Lists the hub's latest device lifecycle events (created, deleted, connected, disconnected), newest first.", async (session, ct) =>
        {
            var events = await session.Hub.GetAsync("/lifecycle/events?top=" + session.Get(top).ToString(CultureInfo.InvariantCulture), ct);
            session.Console.Write(HubResults.Values(events), session.Format, s_eventColumns);
            return 0;
        }, top);
    }
}
