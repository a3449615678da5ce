using System.Collections.Concurrent;
using System.Net;
using DeviceFabric.Mqtt.Hosting;
using Microsoft.Extensions.Options;

namespace DeviceFabric.Mqtt.Sessions;

/// <summary>
/// Slows down guessing: once a source address has had more than a few CONNECTs refused within a minute, each further
/// refusal's CONNACK is held back, twice as long each time up to a limit. Only that source waits (a delay, not a thread),
/// and accepted CONNECTs are never held. The addresses tracked are bounded.
/// </summary>
internal sealed class LoginBackoff(IOptions<MqttFrontEndOptions> options, TimeProvider time)
{
    private const int MaxSources = 10_000;
    private static readonly TimeSpan s_window = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan s_firstDelay = TimeSpan.FromMilliseconds(250);

    private readonly ConcurrentDictionary<IPAddress, Failures> _sources = new();

    /// <summary>Records a refused CONNECT from <paramref name="source"/> and returns how long its CONNACK should wait.</summary>
    public TimeSpan Refused(IPAddress source)
    {
        var now = time.GetUtcNow();
        if (_sources.Count >= MaxSources)
        {
            foreach (var (address, failures) in _sources)
            {
                if (now - failures.Since > s_window)
                {
                    _sources.TryRemove(address, out _);
                }
            }
        }

        var count = _sources.AddOrUpdate(
            source,
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

    private sealed record Failures(DateTimeOffset Since, int Count);
}
