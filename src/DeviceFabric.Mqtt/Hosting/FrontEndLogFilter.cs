using DeviceFabric.Diagnostics;

namespace DeviceFabric.Mqtt.Hosting;

/// <summary>
/// The front end's one filter of repeated log lines: what a device or a source address provokes is logged the first
/// time, then once a minute with the count of what was left out, whatever the device or the address sends.
/// </summary>
internal sealed class FrontEndLogFilter(RepeatedEventFilter filter)
{
    /// <summary>Whether to log this <paramref name="kind"/> of event for <paramref name="subject"/> now; if so, how many were left out.</summary>
    public bool ShouldLog(string kind, string subject, out long suppressed) => filter.ShouldLog(string.Concat(kind, "|", subject), out suppressed);
}
