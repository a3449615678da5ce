namespace DeviceFabric.Hosting;

/// <summary>
/// The clock the fabric's grains read (timestamps, expiries, method timeouts). A type of its own rather than the
/// container's <see cref="TimeProvider"/>, which Orleans itself uses: tests move this one by hand without stopping Orleans.
/// </summary>
public sealed class GrainClock(TimeProvider time)
{
    /// <summary>The system clock.</summary>
    public static GrainClock System { get; } = new(TimeProvider.System);

    /// <summary>The time source.</summary>
    public TimeProvider Time { get; } = time;
}
