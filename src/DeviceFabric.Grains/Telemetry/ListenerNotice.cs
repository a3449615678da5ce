using Microsoft.Extensions.Logging;

namespace DeviceFabric.Telemetry;

/// <summary>
/// Tells a hub's telemetry fan-outs that a listener (an alert rule, a digital twin binding) has just been stored. Best
/// effort: what was stored stays stored, and a fan-out that was not told finds the listener at its next look, within
/// a second.
/// </summary>
internal static partial class ListenerNotice
{
    public static async Task TellAsync(IGrainFactory grains, string hub, ILogger logger)
    {
        try
        {
            await TelemetryFanOut.ListenerArrivedAsync(grains, hub);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogNotTold(logger, ex, hub);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The telemetry fan-outs of {Hub} were not told of a new listener; they find it at their next look")]
    private static partial void LogNotTold(ILogger logger, Exception exception, string hub);
}
