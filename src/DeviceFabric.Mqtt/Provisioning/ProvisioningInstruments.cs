using System.Diagnostics.Metrics;

namespace DeviceFabric.Mqtt.Provisioning;

/// <summary>
/// The provisioning service's device-side metrics (meter <c>DeviceFabric.Provisioning</c>): requests by kind and the
/// status they were answered with, outcomes of finished registrations, and how long a register took to answer.
/// </summary>
public sealed class ProvisioningInstruments
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "DeviceFabric.Provisioning";

    private readonly Counter<long> _requests;
    private readonly Counter<long> _outcomes;
    private readonly Histogram<double> _registerDuration;

    /// <summary>Creates the instruments on a meter of <paramref name="meters"/>.</summary>
    public ProvisioningInstruments(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        Meter = meters.Create(MeterName);
        _requests = Meter.CreateCounter<long>(
            "devicefabric-provisioning-requests", "{request}", "Register and operation-status requests of registering devices, by kind and the status answered.");
        _outcomes = Meter.CreateCounter<long>(
            "devicefabric-provisioning-outcomes", "{registration}", "Registrations a device was told are over, by outcome (assigned, failed).");
        _registerDuration = Meter.CreateHistogram<double>(
            "devicefabric-provisioning-register-duration", "ms", "Time from a register request to its answer (the assignment included when it finished in time).");
    }

    /// <summary>The meter the instruments are on (one per node; tests listen to it).</summary>
    internal Meter Meter { get; }

    internal void Answered(DpsRequestKind kind, int status) =>
        _requests.Add(1, new KeyValuePair<string, object?>("kind", kind == DpsRequestKind.Register ? "register" : "poll"), new KeyValuePair<string, object?>("status", status));

    internal void Finished(string outcome) => _outcomes.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    internal void Registered(TimeSpan took) => _registerDuration.Record(took.TotalMilliseconds);
}
