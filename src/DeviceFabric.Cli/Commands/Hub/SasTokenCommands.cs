using System.CommandLine;
using DeviceFabric.RestClient;

namespace DeviceFabric.Cli.Commands.Hub;

/// <summary>
/// <c>generate-sas-token</c>: a SAS token for a device or module (signed with its key, read from the registry) or
/// for a hub policy (the login's, or one named), printed as it is for curl, MQTT clients and scripts.
/// </summary>
internal static class SasTokenCommands
{
    public static Command Command()
    {
        var device = HubOptions.OptionalDeviceId("A device token, signed with the device's key.");
        var module = HubOptions.OptionalModuleId("A module token (with -d), signed with the module's key.");
        var policy = HubOptions.Text("--policy-name", "A hub token of this policy (default: the login's policy).");
        policy.Aliases.Add("--pn");
        var keyType = HubOptions.Choice("--key-type", "primary or secondary.", "primary", "primary", "secondary");
        var duration = new Option<int>("--duration", "--du") { Description = "Seconds the token is valid.", DefaultValueFactory = _ => 3600 };
        return CliCommand.Create("generate-sas-token", "Prints a SAS token for a device, a module or a hub policy.", async (session, ct) =>
        {
            if (session.Get(duration) is < 1 or > 31_536_000)
            {
                throw new CliUsageException("--duration is 1 second to 1 year (31536000).");
            }

            if (session.Get(device) is not null && session.Get(policy) is not null)
            {
                throw new CliUsageException("Give -d for a device token or --policy-name for a hub token, not both.");
            }

            var signer = await SignerAsync(session, session.Get(device), session.Get(module), session.Get(policy), session.Get(keyType)!, ct);
            session.Console.WriteLine(signer.CreateToken(TimeSpan.FromSeconds(session.Get(duration)), DateTimeOffset.UtcNow));
            return 0;
        }, device, module, policy, keyType, duration);
    }

    private static async Task<ServiceConnectionString> SignerAsync(CliSession session, string? deviceId, string? moduleId, string? policyName, string keyType, CancellationToken ct)
    {
        var login = session.HubLogin();
        if (deviceId is not null)
        {
            var identity = await session.Hub.GetAsync(moduleId is null ? HubPaths.Device(deviceId) : HubPaths.Module(deviceId, moduleId), ct);
            var key = DeviceIdentityCommands.IdentityKey(identity, keyType, moduleId is null ? $"device {deviceId}" : $"module {deviceId}/{moduleId}");
            return new ServiceConnectionString(login.HostName, null, key, deviceId, moduleId);
        }

        if (moduleId is not null)
        {
            throw new CliUsageException("-m needs -d.");
        }

        var name = policyName ?? login.SharedAccessKeyName!;
        if (name == login.SharedAccessKeyName && keyType == "primary")
        {
            return login;
        }

        // Another policy's key (or the secondary) is read from the hub, which takes a login with every right.
        var policy = await session.Hub.GetAsync("/policies/" + HubPaths.Escape(name), ct);
        var policyKey = CliJson.At(policy, keyType + "Key") ?? throw new CliUsageException($"The policy {name} has no {keyType} key.");
        return new ServiceConnectionString(login.HostName, name, policyKey);
    }
}
