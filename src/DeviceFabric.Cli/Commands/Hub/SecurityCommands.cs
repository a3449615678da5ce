using System.CommandLine;
using System.Globalization;

namespace DeviceFabric.Cli.Commands.Hub;

/// <summary><c>security events</c>: the hub's audit history of key, policy, certificate and revocation changes (<c>/security/events</c>).</summary>
internal static class SecurityCommands
{
    private static readonly CliColumn[] s_columns =
    [
        CliColumn.At("Sequence", "sequence"),
        CliColumn.At("Time", "time"),
        CliColumn.At("Kind", "kind"),
        CliColumn.At("Subject", "subject"),
        CliColumn.At("Detail", "detail"),
        CliColumn.At("Actor", "actor"),
    ];

    public static Command Group() => CliCommand.Group("security", "The hub's security audit history.", Events());

    private static Command Events()
    {
        var kind = HubOptions.Text("--kind", "Only events of this kind (deviceKeyRegenerated, policyChanged, certificateExpiring...).");
        var subject = HubOptions.Text("--subject", "Only events about this device, policy or certificate.");
        var since = HubOptions.Text("--since", "Only events since this time (ISO 8601).");
        var after = new Option<long?>("--after") { Description = "Events after this sequence number (to page on)." };
        var top = new Option<int>("--top") { Description = "At most this many events.", DefaultValueFactory = _ => 100 };
        return CliCommand.Create("events", "Lists audit events, oldest first (never a secret).", async (session, ct) =>
        {
            var query = new List<string> { "top=" + session.Get(top).ToString(CultureInfo.InvariantCulture) };
            AlertCommands.AddQuery(query, "after", session.Get(after)?.ToString(CultureInfo.InvariantCulture));
            AlertCommands.AddQuery(query, "kind", session.Get(kind));
            AlertCommands.AddQuery(query, "subject", session.Get(subject));
            AlertCommands.AddQuery(query, "since", session.Get(since));
            session.Console.Write(HubResults.Values(await session.Hub.GetAsync("/security/events?" + string.Join('&', query), ct)), session.Format, s_columns);
            return 0;
        }, kind, subject, since, after, top);
    }
}
