using System.CommandLine;
using System.Text.Json.Nodes;

namespace DeviceFabric.Cli.Commands.Hub;

/// <summary>
/// <c>invoke-device-method</c> and <c>invoke-module-method</c>: a direct method on a connected device or module; the
/// device's status and payload are printed, and a device offline or silent is exit 1 with the node's error.
/// </summary>
internal static class MethodCommands
{
    private static readonly CliColumn[] s_columns = [CliColumn.At("Status", "status"), CliColumn.At("Payload", "payload")];

    public static Command DeviceMethod() => Invoke("invoke-device-method", "Calls a direct method on a device (or, with -m, a module) and prints its answer.", moduleRequired: false);

    public static Command ModuleMethod() => Invoke("invoke-module-method", "Calls a direct method on a module and prints its answer.", moduleRequired: true);

    private static Command Invoke(string name, string description, bool moduleRequired)
    {
        var device = HubOptions.DeviceId();
        var module = new Option<string?>("--module-id", "-m") { Description = "The module's id.", Required = moduleRequired };
        var method = new Option<string>("--method-name", "--mn") { Description = "The method's name.", Required = true };
        var payload = HubOptions.Text("--method-payload", "The payload, as JSON or @file (default: null).");
        payload.Aliases.Add("--mp");
        var timeout = new Option<int>("--timeout", "--to") { Description = "Seconds to wait for the answer (5-300).", DefaultValueFactory = _ => 30 };
        var connectTimeout = new Option<int>("--connect-timeout", "--cto") { Description = "Seconds to wait for the device to connect (0-300).", DefaultValueFactory = _ => 0 };
        return CliCommand.Create(name, description, async (session, ct) =>
        {
            var body = new JsonObject
            {
                ["methodName"] = session.Get(method),
                ["payload"] = session.Get(payload) is { } text ? CliJson.Parse(text, "--method-payload") : null,
                ["responseTimeoutInSeconds"] = session.Get(timeout),
                ["connectTimeoutInSeconds"] = session.Get(connectTimeout),
            };
            var answer = await session.Hub.PostAsync(HubPaths.Twin(session.Get(device)!, session.Get(module)) + "/methods", body, ct);
            session.Console.Write(answer, session.Format, s_columns);
            return 0;
        }, device, module, method, payload, timeout, connectTimeout);
    }
}
