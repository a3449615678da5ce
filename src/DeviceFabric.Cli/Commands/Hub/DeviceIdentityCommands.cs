using System.CommandLine;
using System.Text.Json.Nodes;
using DeviceFabric.RestClient;

namespace DeviceFabric.Cli.Commands.Hub;

/// <summary><c>device-identity</c>: the hub's device registry, as <c>az iot hub device-identity</c>.</summary>
internal static class DeviceIdentityCommands
{
    public static readonly CliColumn[] Columns =
    [
        CliColumn.At("DeviceId", "deviceId"),
        CliColumn.At("Status", "status"),
        CliColumn.At("ConnectionState", "connectionState"),
        CliColumn.At("Authentication", "authentication.type"),
        CliColumn.At("Edge", "capabilities.iotEdge"),
        CliColumn.At("C2D", "cloudToDeviceMessageCount"),
        CliColumn.At("LastActivity", "lastActivityTime"),
    ];

    private static readonly string[] s_authMethods = ["shared_private_key", "x509_thumbprint", "x509_ca"];

    public static Command Group() => CliCommand.Group(
        "device-identity",
        "Manages the hub's device identities.",
        Create(),
        List(),
        Show(),
        Update(),
        Delete(),
        RenewKey(),
        CliCommand.Group("connection-string", "A device's connection string.", ConnectionStringShow()),
        ActivityCommands.ConnectionHistory(),
        DeviceBulkCommands.Import(),
        DeviceBulkCommands.Bulk());

    private static Command Create()
    {
        var device = HubOptions.DeviceId("The new device's id.");
        var edge = HubOptions.Flag("--edge-enabled", "The device is an IoT Edge device.");
        var status = HubOptions.Choice("--status", "enabled or disabled.", "enabled", "enabled", "disabled");
        var reason = HubOptions.Text("--status-reason", "Why the device has its status.");
        var method = HubOptions.Choice("--auth-method", "shared_private_key (default), x509_thumbprint or x509_ca.", "shared_private_key", s_authMethods);
        var credentials = new Credentials();
        return CliCommand.Create("create", "Creates a device (keys are generated unless given).", async (session, ct) =>
        {
            var auth = session.Get(method)!;
            var body = new JsonObject
            {
                ["deviceId"] = session.Get(device),
                ["status"] = session.Get(status),
                ["statusReason"] = session.Get(reason),
                ["capabilities"] = new JsonObject { ["iotEdge"] = session.Get(edge) },
                ["authentication"] = credentials.Authentication(session, auth, null),
            };
            var created = await session.Hub.PutAsync(HubPaths.Device(session.Get(device)!), body, cancellationToken: ct);
            session.Console.Write(HubResults.WithoutKeys(created), session.Format, Columns);
            return 0;
        }, [device, edge, status, reason, method, .. credentials.Options]);
    }

    private static Command List()
    {
        var top = HubOptions.Top("devices");
        return CliCommand.Create("list", "Lists devices in id order.", async (session, ct) =>
        {
            var devices = await HubResults.CollectAsync(
                (continuation, size) => session.Hub.SendAsync(HttpMethod.Get, $"/devices?top={size}", null, new RestRequestOptions { ContinuationToken = continuation }, ct),
                session.Get(top),
                1000);
            session.Console.Write(HubResults.WithoutKeys(devices), session.Format, Columns);
            return 0;
        }, top);
    }

    private static Command Show()
    {
        var device = HubOptions.DeviceId();
        return CliCommand.Create("show", "Shows a device's identity (without its keys: connection-string show prints them).", async (session, ct) =>
        {
            var json = await session.Hub.GetAsync(HubPaths.Device(session.Get(device)!), ct);
            session.Console.Write(HubResults.WithoutKeys(json), session.Format, Columns);
            return 0;
        }, device);
    }

    private static Command Update()
    {
        var device = HubOptions.DeviceId();
        var status = HubOptions.OptionalChoice("--status", "enabled or disabled.", "enabled", "disabled");
        var reason = HubOptions.Text("--status-reason", "Why the device has its status.");
        var edge = new Option<bool?>("--edge-enabled") { Description = "true or false: whether the device is an IoT Edge device." };
        var method = HubOptions.OptionalChoice("--auth-method", "shared_private_key, x509_thumbprint or x509_ca (default: unchanged).", s_authMethods);
        var etag = HubOptions.Etag();
        var credentials = new Credentials();
        return CliCommand.Create("update", "Changes a device's status, capabilities or credentials (what is not given stays).", async (session, ct) =>
        {
            var path = HubPaths.Device(session.Get(device)!);
            var current = await session.Hub.GetAsync(path, ct) as JsonObject ?? throw new CliUsageException("The node returned no device.");
            if (session.Get(status) is { } newStatus)
            {
                current["status"] = newStatus;
            }

            if (session.Get(reason) is { } newReason)
            {
                current["statusReason"] = newReason;
            }

            if (session.Get(edge) is { } isEdge)
            {
                current["capabilities"] = new JsonObject { ["iotEdge"] = isEdge };
            }

            if (session.Get(method) is not null || credentials.AnyGiven(session))
            {
                current["authentication"] = credentials.Authentication(session, session.Get(method), current["authentication"] as JsonObject);
            }

            var updated = await session.Hub.PutAsync(path, current, session.Get(etag) ?? CliJson.At(current, "etag") ?? "*", ct);
            session.Console.Write(HubResults.WithoutKeys(updated), session.Format, Columns);
            return 0;
        }, [device, status, reason, edge, method, etag, .. credentials.Options]);
    }

    private static Command Delete()
    {
        var device = HubOptions.DeviceId();
        var etag = HubOptions.Etag();
        return CliCommand.Create("delete", "Deletes a device, its modules and its twin.", async (session, ct) =>
        {
            await session.Hub.DeleteAsync(HubPaths.Device(session.Get(device)!), session.Get(etag) ?? "*", ct);
            return 0;
        }, device, etag);
    }

    private static Command RenewKey()
    {
        var device = HubOptions.DeviceId();
        var keyType = HubOptions.Choice("--key-type", "primary, secondary or swap.", "primary", "primary", "secondary", "swap");
        var etag = HubOptions.Etag();
        return CliCommand.Create("renew-key", "Regenerates the device's primary or secondary key, or swaps them.", async (session, ct) =>
        {
            var response = await session.Hub.SendAsync(
                HttpMethod.Post,
                HubPaths.Device(session.Get(device)!) + "/regenerateKey",
                new JsonObject { ["keyType"] = session.Get(keyType) },
                new RestRequestOptions { IfMatch = session.Get(etag) },
                ct);
            session.Console.Write(HubResults.WithoutKeys(response.Body), session.Format, Columns);
            return 0;
        }, device, keyType, etag);
    }

    private static Command ConnectionStringShow()
    {
        var device = HubOptions.DeviceId();
        var keyType = HubOptions.Choice("--key-type", "primary or secondary.", "primary", "primary", "secondary");
        return CliCommand.Create("show", "Prints the device's connection string (it holds the device's key).", async (session, ct) =>
        {
            var deviceId = session.Get(device)!;
            var json = await session.Hub.GetAsync(HubPaths.Device(deviceId), ct);
            var key = IdentityKey(json, session.Get(keyType)!, $"device {deviceId}");
            var connectionString = new ServiceConnectionString(session.HubLogin().HostName, null, key, deviceId);
            // As it is, in either format: the string is what a script passes on to the device.
            session.Console.WriteLine(connectionString.ToString());
            return 0;
        }, device, keyType);
    }

    /// <summary>The primary or secondary key of a device's or module's JSON; a usage error if it authenticates otherwise.</summary>
    public static string IdentityKey(JsonNode? identity, string keyType, string what) =>
        CliJson.At(identity, $"authentication.symmetricKey.{keyType}Key") is { Length: > 0 } key
            ? key
            : throw new CliUsageException($"The {what} has no {keyType} key: it authenticates with {CliJson.At(identity, "authentication.type") ?? "no key"}.");
}
