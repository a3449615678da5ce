using System.Collections.Concurrent;
using System.Net;
using DeviceFabric.Mqtt.Hosting;
using Microsoft.Extensions.Options;

namespace DeviceFabric.Mqtt.Sessions;

/// <summary>
/// Slows down guessing: once a source address has had more than a few CONNECTs refused within a minute, each further
/// refusal's CONNACK is held back, twice as long each time up to a limit. Only that source waits (a delay, not a thread),
/// and accepted CONNECTs are never held. The addresses tracked are bounded; past the bound, new ones share one count.
/// </summary>
internal sealed class LoginBackoff(IOptions<MqttFrontEndOptions> options, TimeProvider time)
{
    private const int MaxSources = 10_000;
    private static readonly TimeSpan s_window = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan s_firstDelay = TimeSpan.FromMilliseconds(250);

    private readonly ConcurrentDictionary<IPAddress, Failures> _sources = new();
    private long _lastSweepTicks = long.MinValue;

    /// <summary>Records a refused CONNECT from <paramref name="source"/> and returns how long its CONNACK should wait.</summary>
    public TimeSpan Refused(IPAddress source)
    {
        var now = time.GetUtcNow();
        var key = SourceKey(source);
        if (_sources.Count >= MaxSources && !_sources.ContainsKey(key))
        {
            ForgetQuietSources(now);

            // Still full: every source not tracked yet shares one count, so a flood of addresses is held back as one.
            key = _sources.Count >= MaxSources ? IPAddress.None : key;
        }

        var count = _sources.AddOrUpdate(
            key,
            static (_, now) => new Failures(now, 1),
            static (_, failures, now) => now - failures.Since > s_window ? new Failures(now, 1) : failures with { Count = failures.Count + 1 },
            now).Count;
        var limits = options.Value;
        var excess = count - limits.FailedLoginsBeforeBackoff;
        if (excess <= 0)
        {
            return TimeSpan.Zero;
        }

        var delay = s_firstDelay * Math.Pow(2, Math.Min(excess - 1, 16));
        return delay < limits.MaxLoginBackoff ? delay : limits.MaxLoginBackoff;
    }

    /// <summary>
    /// The address a source is counted under: IPv4 as it is, IPv6 by its /64, since one host can hold a whole /64 and
    /// draw a fresh address for every guess.
    /// </summary>
    internal static IPAddress SourceKey(IPAddress source)
    {
        if (source.IsIPv4MappedToIPv6)
        {
            return source.MapToIPv4();
        }

        if (source.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            return source;
        }

        Span<byte> bytes = stackalloc byte[16];
        source.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes);
    }

    /// <summary>Drops sources whose window has passed, at most once a window, so a full table is not walked per refusal.</summary>
    private void ForgetQuietSources(DateTimeOffset now)
    {
        var last = Interlocked.Read(ref _lastSweepTicks);
        if ((last != long.MinValue && now.UtcTicks - last < s_window.Ticks)
            || Interlocked.CompareExchange(ref _lastSweepTicks, now.UtcTicks, last) != last)
        {
            return;
        }

        foreach (var (address, failures) in _sources)
        {
            if (now - failures.Since > s_window)
            {
                _sources.TryRemove(address, out _);
            }
        }
    }

    private sealed record Failures(DateTimeOffset Since, int Count);
}
