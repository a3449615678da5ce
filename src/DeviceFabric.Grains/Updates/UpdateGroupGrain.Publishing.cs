using DeviceFabric.Configurations;
using DeviceFabric.Streams;
using Microsoft.Extensions.Logging;
using Orleans.Streams;

namespace DeviceFabric.Updates;

/// <summary>What the group tells others: its configurations (written only when they differ from the last written) and its events.</summary>
internal sealed partial class UpdateGroupGrain
{
    private string? _writtenConfigurations;
    private IAsyncStream<UpdateDeploymentEvent>? _events;

    /// <summary>Makes the group's configurations what its state says, unless they were last written so.</summary>
    private async Task WriteConfigurationsAsync(CancellationToken cancellationToken)
    {
        var configurations = UpdateDeploymentConfigurations.For(GroupId, state.State);
        var fingerprint = string.Join('\n', configurations.Select(c => $"{c.Id}|{c.TargetCondition}|{c.Priority}|{c.Rollout}|{string.Join(',', c.DeviceContent.Values)}"));
        if (fingerprint == _writtenConfigurations)
        {
            return;
        }

        await GrainFactory.GetGrain<IOwnedConfigurationsGrain>(Hub).SetOwnedAsync(UpdateDeploymentConfigurations.Owner(GroupId), configurations, cancellationToken);
        _writtenConfigurations = fingerprint;
    }

    /// <summary>Publishes a deployment event; best effort, like every fabric event.</summary>
    private async Task AnnounceAsync(string deploymentId, UpdateDeploymentEventKind kind, UpdateDeploymentStatus? status)
    {
        if (kind != UpdateDeploymentEventKind.WaveReleased && kind != UpdateDeploymentEventKind.RolledBack)
        {
            instruments.Event(kind);
        }

        try
        {
            _events ??= this.GetStreamProvider(FabricStreams.ProviderName).GetStream<UpdateDeploymentEvent>(StreamId.Create(FabricStreams.UpdatesNamespace, Hub));
            await _events.OnNextAsync(new UpdateDeploymentEvent(Hub, GroupId, deploymentId, kind, status, clock.Time.GetUtcNow()));
        }
        catch (Exception ex)
        {
            LogEventLost(logger, ex, Hub, GroupId, deploymentId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Update deployment {Hub}/{Group}/{Deployment}: an event could not be published")]
    private static partial void LogEventLost(ILogger logger, Exception exception, string hub, string group, string deployment);
}
