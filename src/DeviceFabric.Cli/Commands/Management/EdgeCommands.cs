using System.CommandLine;

namespace DeviceFabric.Cli.Commands.Management;

/// <summary>
/// <c>edge</c>: IoT Edge. <c>set-modules</c> writes a manifest into one edge device's <c>$edgeAgent</c> and
/// <c>$edgeHub</c> twins (<c>applyConfigurationContent</c>, not kept as a configuration); <c>deployment</c> manages
/// deployments, the configurations whose content is <c>modulesContent</c>, to every device a condition targets.
/// </summary>
internal static class EdgeCommands
{
    public static Command Group() => CliCommand.Group("edge", "IoT Edge: a device's modules, and deployments to many devices.",
        SetModules(),
        CliCommand.Group("deployment", "IoT Edge deployments: manifests written into every edge device a condition targets, layered by priority.",
            ConfigurationCommands.Create(edge: true), ConfigurationCommands.List(edge: true), ConfigurationCommands.Show(edge: true), ConfigurationCommands.Delete(edge: true)));

    private static Command SetModules()
    {
        var device = ManagementArgs.Required("--device-id", "The edge device.", "-d");
        var content = ManagementArgs.Required("--content", "The deployment manifest: JSON or @file, {\"modulesContent\":{...}} (or wrapped in \"content\").", "-k");
        return CliCommand.Create("set-modules", "Writes a deployment manifest into one edge device's module twins.", async (session, ct) =>
        {
            var deviceId = session.Get(device)!;
            var manifest = ConfigurationCommands.Content(session.Get(content)!, edge: true);
            await session.Hub.PostAsync($"/devices/{ManagementArgs.Segment(deviceId)}/applyConfigurationContent", manifest, ct).ConfigureAwait(false);
            // As az does, show what the device now has: its modules.
            var modules = await session.Hub.GetAsync($"/devices/{ManagementArgs.Segment(deviceId)}/modules", ct).ConfigureAwait(false);
            return ManagementArgs.Print(session, modules, CliColumn.At("ModuleId", "moduleId"), CliColumn.At("DeviceId", "deviceId"),
                CliColumn.At("ConnectionState", "connectionState"), CliColumn.At("ManagedBy", "managedBy"));
        }, device, content);
    }
}
