using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace DeviceFabric.Updates;

/// <summary>
/// Metrics of Device Update (meter <c>DeviceFabric.Updates</c>): deployment events (waves released, rollbacks, cancels,
/// retries), the devices of each active deployment held on this silo by state as last counted, and file downloads.
/// </summary>
public sealed class UpdateInstruments
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "DeviceFabric.Updates";

    private readonly Counter<long> _events;
    private readonly Counter<long> _downloads;
    private readonly Counter<long> _downloadBytes;
    private readonly ConcurrentDictionary<string, UpdateDeploymentStatus> _statuses = new(StringComparer.Ordinal);

    /// <summary>The meter the instruments are on.</summary>
    public Meter Meter { get; }

    /// <summary>Creates the instruments on a meter of <paramref name="meters"/>.</summary>
    public UpdateInstruments(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(MeterName);
        Meter = meter;
        _events = meter.CreateCounter<long>(
            "devicefabric-update-deployment-events", "{event}", "Deployment events, by kind (created, started, wave, halted, rolledback, canceled, retried, inactive, deleted).");
        _downloads = meter.CreateCounter<long>("devicefabric-update-downloads", "{download}", "Update file downloads by devices, by outcome (served, refused).");
        _downloadBytes = meter.CreateCounter<long>("devicefabric-update-download-bytes", "By", "Bytes of update files served to devices.");
        meter.CreateObservableGauge("devicefabric-update-devices", Devices, "{device}", "Devices of the active deployments held on this silo, by state, as last counted.");
    }

    /// <summary>A deployment event happened.</summary>
    public void Event(UpdateDeploymentEventKind kind) => _events.Add(1, new KeyValuePair<string, object?>("kind", kind.ToString().ToLowerInvariant()));

    /// <summary>A download was served or refused; <paramref name="bytes"/> is what the response carries.</summary>
    public void Download(bool served, long bytes)
    {
        _downloads.Add(1, new KeyValuePair<string, object?>("outcome", served ? "served" : "refused"));
        if (served)
        {
            _downloadBytes.Add(bytes);
        }
    }

    /// <summary>A deployment was counted (null: it is gone).</summary>
    public void Counted(string key, UpdateDeploymentStatus? status)
    {
        if (status is null)
        {
            _statuses.TryRemove(key, out _);
        }
        else
        {
            _statuses[key] = status;
        }
    }

    private IEnumerable<Measurement<long>> Devices()
    {
        var totals = new long[5];
        foreach (var status in _statuses.Values)
        {
            foreach (var subgroup in status.Subgroups)
            {
                totals[0] += subgroup.DevicesNotStartedCount;
                totals[1] += subgroup.DevicesInProgressCount;
                totals[2] += subgroup.DevicesCompletedSucceededCount;
                totals[3] += subgroup.DevicesCompletedFailedCount;
                totals[4] += subgroup.DevicesCanceledCount;
            }
        }

        string[] states = ["notstarted", "inprogress", "succeeded", "failed", "canceled"];
        return states.Select((state, i) => new Measurement<long>(totals[i], new KeyValuePair<string, object?>("state", state)));
    }
}
