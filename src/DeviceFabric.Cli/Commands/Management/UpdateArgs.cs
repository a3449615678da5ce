using System.CommandLine;
using System.Text.Json.Nodes;

namespace DeviceFabric.Cli.Commands.Management;

/// <summary>
/// What the <c>update</c> commands share: the Device Update instance (the hub's name) and an update's id
/// (provider, name, version), as options and as the paths of <c>/deviceUpdate/{instance}/...</c>.
/// </summary>
internal sealed class UpdateArgs
{
    /// <summary>The fabric's default hub: Device Update's instance id is the hub's name.</summary>
    public const string DefaultInstance = "devicefabric";

    public Option<string> Instance { get; } = new("--instance", "-i")
    {
        Description = $"The Device Update instance: the hub's name. Default: {DefaultInstance}, the fabric's default hub.",
        DefaultValueFactory = _ => DefaultInstance,
    };

    /// <summary>The options every <c>update</c> command takes.</summary>
    public Symbol[] All() => [Instance];

    /// <summary>The base of the instance's paths.</summary>
    public string Base(CliSession session) => "/deviceUpdate/" + ManagementArgs.Segment(session.Get(Instance)!);

    /// <summary>Options naming one update, for the commands that act on one.</summary>
    public sealed class UpdateIdOptions
    {
        public Option<string> Provider { get; } = ManagementArgs.Required("--update-provider", "The update's provider.");

        public Option<string> Name { get; } = ManagementArgs.Required("--update-name", "The update's name.");

        public Option<string> Version { get; } = ManagementArgs.Required("--update-version", "The update's version.");

        public Symbol[] All => [Provider, Name, Version];

        /// <summary>The update's path under <c>/updates</c>.</summary>
        public string Path(CliSession session) =>
            $"/updates/providers/{ManagementArgs.Segment(session.Get(Provider)!)}/names/{ManagementArgs.Segment(session.Get(Name)!)}/versions/{ManagementArgs.Segment(session.Get(Version)!)}";

        /// <summary>The update id as Device Update's JSON names it.</summary>
        public JsonObject Json(CliSession session) => new()
        {
            ["provider"] = session.Get(Provider), ["name"] = session.Get(Name), ["version"] = session.Get(Version),
        };
    }
}
