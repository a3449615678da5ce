using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;

namespace DeviceFabric.Cli.Commands.Management;

/// <summary>
/// <c>update deployment</c>: deployments of an update to a group
/// (<c>/deviceUpdate/{instance}/management/groups/{g}/deployments/{d}</c>): create (with waves, a health check and a
/// rollback policy), show, list, status, the devices' states, cancel, retry and delete. With <c>--class-id</c> the
/// status, device list, cancel and retry act on one device class subgroup.
/// </summary>
internal static class UpdateDeploymentCommands
{
    private static readonly CliColumn[] s_columns =
    [
        CliColumn.At("DeploymentId", "deploymentId"), CliColumn.At("GroupId", "groupId"), CliColumn.At("Provider", "update.updateId.provider"),
        CliColumn.At("Name", "update.updateId.name"), CliColumn.At("Version", "update.updateId.version"), CliColumn.At("State", "state"),
        CliColumn.At("Start", "startDateTime"), CliColumn.At("Canceled", "isCanceled"),
    ];

    public static Command Group() => CliCommand.Group("deployment", "Deployments of an update to a group of devices.",
        Create(), Show(), List(), Status(), ListDevices(), Action("cancel", "Cancels the deployment (final: its devices are told to stop)."),
        Action("retry", "Retries the deployment: failed devices run it again."), Delete());

    private static Command Create()
    {
        var at = new Target();
        var update = new UpdateArgs.UpdateIdOptions();
        var start = ManagementArgs.Optional("--start-time", "When it starts (ISO 8601); now when left out.", "--start");
        var waves = ManagementArgs.Many("--waves", "Cumulative waves, each a device count (10) or a percentage (25%) of the group; the last releases the rest.", "--wave");
        var wait = ManagementArgs.Optional<int>("--wait-between-waves", "Seconds between waves.");
        var maxFailed = ManagementArgs.Optional<int>("--max-failed-percentage", "At or over this failure rate of released devices the rollout halts.");
        var rollbackProvider = ManagementArgs.Optional("--rollback-update-provider", "The rollback update's provider (a rollback policy).");
        var rollbackName = ManagementArgs.Optional("--rollback-update-name", "The rollback update's name.");
        var rollbackVersion = ManagementArgs.Optional("--rollback-update-version", "The rollback update's version.");
        var failedCount = ManagementArgs.Optional<int>("--failed-count", "Rollback once at least this many devices failed...");
        var failedPercentage = ManagementArgs.Optional<int>("--failed-percentage", "...and at least this percentage of those released.");
        var healthCondition = ManagementArgs.Optional("--health-condition", "A twin condition a device must meet after it reports success (properties.reported.health = 'ok').");
        var healthWindow = ManagementArgs.Optional<int>("--health-window", "Seconds a device has to meet the health condition.");
        return CliCommand.Create("create", "Deploys an update to a group: at its start time, optionally in waves, with a health check and a rollback policy.", async (session, ct) =>
        {
            var body = new JsonObject
            {
                ["deploymentId"] = session.Get(at.Deployment),
                ["groupId"] = session.Get(at.Group),
                ["startDateTime"] = session.Get(start) is { } text ? Time(text) : DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
                ["update"] = new JsonObject { ["updateId"] = update.Json(session) },
            };
            if (session.Get(waves) is { Length: > 0 } given)
            {
                var rollout = new JsonObject { ["waves"] = new JsonArray([.. given.SelectMany(w => w.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Select(Wave)]) };
                rollout["waitBetweenWavesInSeconds"] = session.Get(wait) ?? 0;
                if (session.Get(maxFailed) is { } max)
                {
                    rollout["maxFailedPercentage"] = max;
                }

                body["rollout"] = rollout;
            }

            if (session.Get(rollbackProvider) is { } provider)
            {
                body["rollbackPolicy"] = new JsonObject
                {
                    ["update"] = new JsonObject
                    {
                        ["updateId"] = new JsonObject
                        {
                            ["provider"] = provider,
                            ["name"] = session.Get(rollbackName) ?? throw new CliUsageException("A rollback policy needs --rollback-update-name."),
                            ["version"] = session.Get(rollbackVersion) ?? throw new CliUsageException("A rollback policy needs --rollback-update-version."),
                        },
                    },
                    ["failure"] = new JsonObject { ["devicesFailedCount"] = session.Get(failedCount) ?? 1, ["devicesFailedPercentage"] = session.Get(failedPercentage) ?? 0 },
                };
            }

            if (session.Get(healthCondition) is { } condition)
            {
                body["healthCheck"] = new JsonObject { ["condition"] = condition, ["windowInSeconds"] = session.Get(healthWindow) ?? 60 };
            }

            var created = await session.Hub.PutAsync(at.Path(session), body, cancellationToken: ct).ConfigureAwait(false);
            return ManagementArgs.Print(session, created, s_columns);
        }, [.. at.All, .. update.All, start, waves, wait, maxFailed, rollbackProvider, rollbackName, rollbackVersion, failedCount, failedPercentage, healthCondition, healthWindow]);
    }

    private static Command Show()
    {
        var at = new Target();
        return CliCommand.Create("show", "Shows a deployment.", async (session, ct) =>
            ManagementArgs.Print(session, await session.Hub.GetAsync(at.Path(session), ct).ConfigureAwait(false), s_columns), at.All);
    }

    private static Command List()
    {
        var args = new UpdateArgs();
        var group = GroupOption();
        return CliCommand.Create("list", "Lists a group's deployments, newest first.", async (session, ct) =>
        {
            var path = $"{args.Base(session)}/management/groups/{ManagementArgs.Segment(session.Get(group)!)}/deployments";
            return ManagementArgs.Print(session, ManagementArgs.Value(await session.Hub.GetAsync(path, ct).ConfigureAwait(false)), s_columns);
        }, [.. args.All(), group]);
    }

    private static Command Status()
    {
        var at = new Target();
        var deviceClass = ClassOption();
        return CliCommand.Create("status", "Shows a deployment's state and its devices' counts per device class (or of one class).", async (session, ct) =>
        {
            var status = await session.Hub.GetAsync(at.Path(session, session.Get(deviceClass)) + "/status", ct).ConfigureAwait(false);
            // The group's status counts per class in subgroupStatus; a class's status is one such row.
            var rows = session.Format == OutputFormat.Table && status?["subgroupStatus"] is JsonArray { Count: > 0 } classes ? classes.DeepClone() : status;
            return ManagementArgs.Print(session, rows,
                CliColumn.At("DeviceClassId", "deviceClassId"), CliColumn.At("State", "deploymentState"), CliColumn.At("Total", "totalDevices"),
                CliColumn.At("NotStarted", "devicesNotStartedCount"), CliColumn.At("InProgress", "devicesInProgressCount"),
                CliColumn.At("Failed", "devicesCompletedFailedCount"), CliColumn.At("Succeeded", "devicesCompletedSucceededCount"), CliColumn.At("Canceled", "devicesCanceledCount"));
        }, [.. at.All, deviceClass]);
    }

    private static Command ListDevices()
    {
        var at = new Target();
        var deviceClass = ClassOption();
        var state = ManagementArgs.Optional("--filter-by-state", "Only devices in this state: NotStarted, Incompatible, InProgress, Failed, Succeeded or Canceled.", "--state");
        return CliCommand.Create("list-devices", "Lists the deployment's devices and their state.", async (session, ct) =>
        {
            var path = at.Path(session, session.Get(deviceClass)) + "/devicestates";
            if (session.Get(state) is { } filter)
            {
                path += "?filter=" + Uri.EscapeDataString($"deviceState eq '{filter}'");
            }

            return ManagementArgs.Print(session, ManagementArgs.Value(await session.Hub.GetAsync(path, ct).ConfigureAwait(false)),
                CliColumn.At("DeviceId", "deviceId"), CliColumn.At("DeviceClassId", "deviceClassId"), CliColumn.At("State", "deviceState"),
                CliColumn.At("ResultCode", "resultCode"), CliColumn.At("Retries", "retryCount"), CliColumn.At("HealthCheckFailed", "healthCheckFailed"));
        }, [.. at.All, deviceClass, state]);
    }

    private static Command Action(string action, string description)
    {
        var at = new Target();
        var deviceClass = ClassOption();
        return CliCommand.Create(action, description, async (session, ct) =>
            ManagementArgs.Print(session, await session.Hub.PostAsync($"{at.Path(session, session.Get(deviceClass))}:{action}", null, ct).ConfigureAwait(false), s_columns),
            [.. at.All, deviceClass]);
    }

    private static Command Delete()
    {
        var at = new Target();
        return CliCommand.Create("delete", "Deletes a deployment; its devices lose it.", async (session, ct) =>
        {
            await session.Hub.DeleteAsync(at.Path(session), cancellationToken: ct).ConfigureAwait(false);
            return 0;
        }, at.All);
    }

    private static JsonNode Wave(string wave) =>
        wave.EndsWith('%') && int.TryParse(wave[..^1], CultureInfo.InvariantCulture, out var percentage) ? new JsonObject { ["percentage"] = percentage }
        : int.TryParse(wave, CultureInfo.InvariantCulture, out var count) ? new JsonObject { ["deviceCount"] = count }
        : throw new CliUsageException($"--waves: '{wave}' is neither a device count (10) nor a percentage (25%).");

    private static string Time(string text) => DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
        ? time.ToString("O", CultureInfo.InvariantCulture)
        : throw new CliUsageException($"--start-time '{text}' is not a date and time (ISO 8601).");

    private static Option<string> GroupOption() => ManagementArgs.Required("--group-id", "The group (its devices' ADUGroup tag).", "-g");

    private static Option<string?> ClassOption() => ManagementArgs.Optional("--class-id", "One device class subgroup of the group.", "--device-class-id");

    /// <summary>The options naming one deployment of one group, and its path.</summary>
    private sealed class Target
    {
        private readonly UpdateArgs _args = new();

        public Option<string> Group { get; } = GroupOption();

        public Option<string> Deployment { get; } = ManagementArgs.Required("--deployment-id", "The deployment's id.", "--did");

        public Symbol[] All => [.. _args.All(), Group, Deployment];

        /// <summary>The deployment's path, or its device class subgroup's.</summary>
        public string Path(CliSession session, string? deviceClass = null)
        {
            var group = $"{_args.Base(session)}/management/groups/{ManagementArgs.Segment(session.Get(Group)!)}";
            var subgroup = deviceClass is null ? string.Empty : "/deviceClassSubgroups/" + ManagementArgs.Segment(deviceClass);
            return $"{group}{subgroup}/deployments/{ManagementArgs.Segment(session.Get(Deployment)!)}";
        }
    }
}
