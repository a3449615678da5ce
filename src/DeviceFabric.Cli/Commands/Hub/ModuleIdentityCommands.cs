using System.CommandLine;
using System.Text.Json.Nodes;
using DeviceFabric.RestClient;

namespace DeviceFabric.Cli.Commands.Hub;

/// <summary><c>module-identity</c>: a device's modules, each an identity of its own, as <c>az iot hub module-identity</c>.</summary>
internal static class ModuleIdentityCommands
{
    private static readonly CliColumn[] s_columns =
    [
        CliColumn.At("DeviceId", "deviceId"),
        CliColumn.At("ModuleId", "moduleId"),
        CliColumn.At("ConnectionState", "connectionState"),
        CliColumn.At("Authentication", "authentication.type"),
        CliColumn.At("ManagedBy", "managedBy"),
        CliColumn.At("LastActivity", "lastActivityTime"),
    ];

    public static Command Group() => CliCommand.Group(
        "module-identity",
        "Manages a device's module identities.",
        Create(),
        List(),
        Show(),
        Delete(),
        CliCommand.Group("connection-string", "A module's connection string.", ConnectionStringShow()));

    private static Command Create()
    {
        var device = HubOptions.DeviceId();
        var module = HubOptions.ModuleId();
        var method = HubOptions.Choice("--auth-method", "shared_private_key (default), x509_thumbprint or x509_ca.", "shared_private_key", "shared_private_key", "x509_thumbprint", "x509_ca");
        var credentials = new Credentials();
        return CliCommand.Create("create", "Adds a module to a device (keys are generated unless given).", async (session, ct) =>
        {
            var body = new JsonObject
            {
                ["deviceId"] = session.Get(device),
                ["moduleId"] = session.Get(module),
                ["authentication"] = credentials.Authentication(session, session.Get(method), null),
            };
            var created = await session.Hub.PutAsync(HubPaths.Module(session.Get(device)!, session.Get(module)!), body, cancellationToken: ct);
            session.Console.Write(HubResults.WithoutKeys(created), session.Format, s_columns);
            return 0;
        }, [device, module, method, .. credentials.Options]);
    }

    private static Command List()
    {
        var device = HubOptions.DeviceId();
        return CliCommand.Create("list", "Lists a device's modules.", async (session, ct) =>
        {
            var modules = await session.Hub.GetAsync(HubPaths.Device(session.Get(device)!) + "/modules", ct);
            session.Console.Write(HubResults.WithoutKeys(modules), session.Format, s_columns);
            return 0;
        }, device);
    }

    private static Command Show()
    {
        var device = HubOptions.DeviceId();
        var module = HubOptions.ModuleId();
        return CliCommand.Create("show", "Shows a module's identity (without its keys).", async (session, ct) =>
        {
            var json = await session.Hub.GetAsync(HubPaths.Module(session.Get(device)!, session.Get(module)!), ct);
            session.Console.Write(HubResults.WithoutKeys(json), session.Format, s_columns);
            return 0;
        }, device, module);
    }

    private static Command Delete()
    {
        var device = HubOptions.DeviceId();
        var module = HubOptions.ModuleId();
        var etag = HubOptions.Etag();
        return CliCommand.Create("delete", "Deletes a module; its session closes.", async (session, ct) =>
        {
            await session.Hub.DeleteAsync(HubPaths.Module(session.Get(device)!, session.Get(module)!), session.Get(etag) ?? "*", ct);
            return 0;
        }, device, module, etag);
    }

    private static Command ConnectionStringShow()
    {
        var device = HubOptions.DeviceId();
        var module = HubOptions.ModuleId();
        var keyType = HubOptions.Choice("--key-type", "primary or secondary.", "primary", "primary", "secondary");
        return CliCommand.Create("show", "Prints the module's connection string (it holds the module's key).", async (session, ct) =>
        {
            var (deviceId, moduleId) = (session.Get(device)!, session.Get(module)!);
            var json = await session.Hub.GetAsync(HubPaths.Module(deviceId, moduleId), ct);
            var key = DeviceIdentityCommands.IdentityKey(json, session.Get(keyType)!, $"module {deviceId}/{moduleId}");
            session.Console.WriteLine(new ServiceConnectionString(session.HubLogin().HostName, null, key, deviceId, moduleId).ToString());
            return 0;
        }, device, module, keyType);
    }
}
