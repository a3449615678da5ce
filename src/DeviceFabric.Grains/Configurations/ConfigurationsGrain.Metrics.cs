using DeviceFabric.Registry;
using DeviceFabric.Streams;
using Microsoft.Extensions.Logging;
using Orleans.Streams;

namespace DeviceFabric.Configurations;

/// <summary>
/// Counts and sweeps. Every configuration's system and custom metric queries are counted by every shard in one call,
/// every <see cref="ConfigurationOptions.MetricsInterval"/> and a second after each change (reads serve the last counts,
/// so they never wait on a count); a changed count is announced. The sweep asks every shard to tell the twins whose
/// markers disagree with the conditions.
/// </summary>
internal sealed partial class ConfigurationsGrain
{
    private static readonly TimeSpan s_afterChange = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan s_firstSweep = TimeSpan.FromSeconds(5);

    private IGrainTimer? _metricsTimer;
    private IGrainTimer? _sweepTimer;
    private IGrainTimer? _soonTimer;
    private DateTimeOffset _metricsAt;
    private IAsyncStream<ConfigurationEvent>? _events;

    public Task ResumeAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    /// <summary>The metrics of a configuration being stored: its queries, with the counts it had (recomputed soon).</summary>
    private static ConfigurationMetrics Metrics(string id, ConfigurationKind kind, string targetCondition, IReadOnlyDictionary<string, string> custom, ConfigurationMetrics? previous)
    {
        var system = ConfigurationQueries.For(id, kind, targetCondition);
        return new ConfigurationMetrics(
            system,
            system.Keys.ToDictionary(k => k, k => previous?.SystemResults.GetValueOrDefault(k) ?? 0, StringComparer.Ordinal),
            custom.Keys.ToDictionary(k => k, k => previous?.Results.GetValueOrDefault(k) ?? 0, StringComparer.Ordinal),
            default);
    }

    private void StartTimers()
    {
        if (state.State.Configurations.Count == 0)
        {
            // Nothing to count or sweep: the grain may go idle.
            (_metricsTimer, _sweepTimer) = (Dispose(_metricsTimer), Dispose(_sweepTimer));
            return;
        }

        var interval = options.Value.MetricsInterval;
        _metricsTimer ??= this.RegisterGrainTimer(_ => RefreshMetricsAsync(), new GrainTimerCreationOptions { DueTime = interval, Period = interval, KeepAlive = true });
        _sweepTimer ??= this.RegisterGrainTimer(_ => SweepAsync(), new GrainTimerCreationOptions { DueTime = s_firstSweep, Period = options.Value.SweepInterval, KeepAlive = true });
    }

    /// <summary>Counts again a second after a change (once for a burst of changes), when the twins have mostly applied it.</summary>
    private void CountSoon() => _soonTimer ??= this.RegisterGrainTimer(
        async _ =>
        {
            _soonTimer = Dispose(_soonTimer);
            await RefreshMetricsAsync();
        },
        new GrainTimerCreationOptions { DueTime = s_afterChange, Period = Timeout.InfiniteTimeSpan });

    private async Task RefreshMetricsAsync()
    {
        var configurations = state.State.Configurations.Values.ToList();
        if (configurations.Count == 0)
        {
            return;
        }

        _metricsAt = clock.Time.GetUtcNow();
        var queries = configurations.SelectMany(c => c.Metrics.SystemQueries.Values.Concat(c.MetricQueries.Values)).ToList();
        long[] totals;
        try
        {
            var counts = await Task.WhenAll(Enumerable.Range(0, RegistryShards.Count).Select(shard =>
                GrainFactory.GetGrain<IRegistryShardGrain>(RegistryShards.Key(Hub, shard)).CountAsync(queries)));
            totals = [.. Enumerable.Range(0, queries.Count).Select(i => counts.Sum(c => c[i]))];
        }
        catch (Exception ex)
        {
            LogMetricsFailed(logger, ex, Hub);
            return;
        }

        instruments.MetricsComputed();
        var next = 0;
        foreach (var configuration in configurations)
        {
            var metrics = configuration.Metrics;
            var system = metrics.SystemQueries.Keys.ToDictionary(k => k, _ => totals[next++], StringComparer.Ordinal);
            var custom = configuration.MetricQueries.Keys.ToDictionary(k => k, _ => totals[next++], StringComparer.Ordinal);
            var changed = !SameMaps.Equal(system, metrics.SystemResults) || !SameMaps.Equal(custom, metrics.Results);
            if (!state.State.Configurations.TryGetValue(configuration.Id, out var current) || current.ETag != configuration.ETag)
            {
                continue;
            }

            var updated = current with { Metrics = metrics with { SystemResults = system, Results = custom, ComputedAt = _metricsAt } };
            state.State.Configurations[configuration.Id] = updated;
            if (changed)
            {
                await AnnounceAsync(configuration.Id, ConfigurationEventKind.MetricsChanged, updated.Metrics);
            }
        }
    }

    private async Task SweepAsync()
    {
        var version = _committed.Version;
        try
        {
            await Task.WhenAll(Enumerable.Range(0, RegistryShards.Count).Select(shard =>
                GrainFactory.GetGrain<IRegistryShardGrain>(RegistryShards.Key(Hub, shard)).SweepConfigurationsAsync(version)));
        }
        catch (Exception ex)
        {
            LogShardsNotTold(logger, ex, Hub, "(sweep)");
        }
    }

    /// <summary>Publishes a configuration event; best effort, like every fabric event.</summary>
    private async Task AnnounceAsync(string id, ConfigurationEventKind kind, ConfigurationMetrics metrics)
    {
        try
        {
            _events ??= this.GetStreamProvider(FabricStreams.ProviderName)
                .GetStream<ConfigurationEvent>(StreamId.Create(FabricStreams.ConfigurationsNamespace, Hub));
            await _events.OnNextAsync(new ConfigurationEvent(Hub, id, kind, metrics.SystemResults, metrics.Results, clock.Time.GetUtcNow()));
        }
        catch (Exception ex)
        {
            LogEventLost(logger, ex, Hub, id);
        }
    }

    private static IGrainTimer? Dispose(IGrainTimer? timer)
    {
        timer?.Dispose();
        return null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Configurations of {Hub}: counts could not be computed; the next run retries")]
    private static partial void LogMetricsFailed(ILogger logger, Exception exception, string hub);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Configuration {Hub}/{Id}: an event could not be published")]
    private static partial void LogEventLost(ILogger logger, Exception exception, string hub, string id);
}
