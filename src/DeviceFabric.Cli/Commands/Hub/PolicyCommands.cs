using System.CommandLine;
using System.Text.Json.Nodes;
using DeviceFabric.RestClient;

namespace DeviceFabric.Cli.Commands.Hub;

/// <summary>
/// <c>policy</c>: the hub's shared access policies (<c>/policies</c>, managed with a policy holding every right). Keys
/// are printed only by <c>policy connection-string show</c>.
/// </summary>
internal static class PolicyCommands
{
    private static readonly CliColumn[] s_columns = [CliColumn.At("KeyName", "keyName"), CliColumn.At("Rights", "rights")];

    public static Command Group() => CliCommand.Group(
        "policy",
        "The hub's shared access policies.",
        List(),
        Show(),
        Set(),
        Delete(),
        RenewKey(),
        CliCommand.Group("connection-string", "A policy's connection string.", ConnectionStringShow()));

    private static Option<string> Name() => new("--name", "-n") { Description = "The policy's name (iothubowner, service...).", Required = true };

    private static Command List() => CliCommand.Create("list", "Lists the hub's policies and their rights.", async (session, ct) =>
    {
        session.Console.Write(HubResults.WithoutPolicyKeys(HubResults.Values(await session.Hub.GetAsync("/policies", ct))), session.Format, s_columns);
        return 0;
    });

    private static Command Show()
    {
        var name = Name();
        return CliCommand.Create("show", "Shows a policy's rights.", async (session, ct) =>
        {
            session.Console.Write(HubResults.WithoutPolicyKeys(await session.Hub.GetAsync(Path(session.Get(name)!), ct)), session.Format, s_columns);
            return 0;
        }, name);
    }

    private static Command Set()
    {
        var name = Name();
        var rights = HubOptions.RequiredText("--rights", "Comma-separated rights: RegistryRead, RegistryWrite, ServiceConnect, DeviceConnect.");
        return CliCommand.Create("set", "Creates a policy or replaces its rights (its keys are kept, or generated).", async (session, ct) =>
        {
            var body = new JsonObject { ["keyName"] = session.Get(name), ["rights"] = session.Get(rights) };
            session.Console.Write(HubResults.WithoutPolicyKeys(await session.Hub.PutAsync(Path(session.Get(name)!), body, cancellationToken: ct)), session.Format, s_columns);
            return 0;
        }, name, rights);
    }

    private static Command Delete()
    {
        var name = Name();
        return CliCommand.Create("delete", "Deletes a policy; its tokens and the device sessions made with it stop at once.", async (session, ct) =>
        {
            await session.Hub.DeleteAsync(Path(session.Get(name)!), null, ct);
            return 0;
        }, name);
    }

    private static Command RenewKey()
    {
        var name = Name();
        var keyType = HubOptions.Choice("--key-type", "primary, secondary or swap.", "primary", "primary", "secondary", "swap");
        return CliCommand.Create("renew-key", "Regenerates a policy's primary or secondary key, or swaps them.", async (session, ct) =>
        {
            var policy = await session.Hub.PostAsync(Path(session.Get(name)!) + "/regenerateKey", new JsonObject { ["keyType"] = session.Get(keyType) }, ct);
            session.Console.Write(HubResults.WithoutPolicyKeys(policy), session.Format, s_columns);
            return 0;
        }, name, keyType);
    }

    private static Command ConnectionStringShow()
    {
        var name = Name();
        var keyType = HubOptions.Choice("--key-type", "primary or secondary.", "primary", "primary", "secondary");
        return CliCommand.Create("show", "Prints a policy's connection string (it holds the policy's key).", async (session, ct) =>
        {
            var policy = await session.Hub.GetAsync(Path(session.Get(name)!), ct);
            var key = CliJson.At(policy, session.Get(keyType) + "Key") ?? throw new CliUsageException($"The policy has no {session.Get(keyType)} key.");
            session.Console.WriteLine(new ServiceConnectionString(session.HubLogin().HostName, session.Get(name), key).ToString());
            return 0;
        }, name, keyType);
    }

    private static string Path(string name) => "/policies/" + HubPaths.Escape(name);
}
