using System.Diagnostics;
using System.Globalization;

namespace DeviceFabric.LoadTest;

/// <summary>Latencies of one run, recorded without locks, and the percentiles the report quotes.</summary>
public sealed class LatencyRecorder(int capacity)
{
    private readonly long[] _ticks = new long[Math.Max(capacity, 1)];
    private int _count;
    private int _errors;

    public int Count => Math.Min(_count, _ticks.Length);

    public int Errors => _errors;

    public void Record(TimeSpan latency)
    {
        var index = Interlocked.Increment(ref _count) - 1;
        if (index < _ticks.Length)
        {
            _ticks[index] = latency.Ticks;
        }
    }

    public void Error() => Interlocked.Increment(ref _errors);

    public double PercentileMs(double percentile)
    {
        var count = Count;
        if (count == 0)
        {
            return 0;
        }

        var sorted = _ticks[..count];
        Array.Sort(sorted);
        var index = (int)Math.Min(count - 1, Math.Ceiling(percentile / 100 * count) - 1);
        return TimeSpan.FromTicks(sorted[Math.Max(index, 0)]).TotalMilliseconds;
    }
}

/// <summary>The server's CPU time and resident memory, read from /proc for the PID given.</summary>
public sealed class ServerProbe(int pid)
{
    private readonly Stopwatch _wall = Stopwatch.StartNew();
    private double _startCpu = CpuSeconds(pid);

    public long ResidentBytes => pid == 0 ? 0 : ReadRss(pid);

    public void Restart()
    {
        _startCpu = CpuSeconds(pid);
        _wall.Restart();
    }

    /// <summary>CPU used since the start, as a percentage of one core (200 = both cores of this machine).</summary>
    public double CpuPercent => pid == 0 ? 0 : (CpuSeconds(pid) - _startCpu) / _wall.Elapsed.TotalSeconds * 100;

    private static double CpuSeconds(int pid)
    {
        if (pid == 0 || !File.Exists($"/proc/{pid}/stat"))
        {
            return 0;
        }

        var fields = File.ReadAllText($"/proc/{pid}/stat").Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return ticks / 100.0;
    }

    private static long ReadRss(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }
}

/// <summary>One scenario's outcome: the row of the report.</summary>
public sealed record LoadResult(
    string Scenario,
    string Target,
    int Devices,
    long Operations,
    double Seconds,
    double PerSecond,
    double P50Ms,
    double P95Ms,
    double P99Ms,
    double MaxMs,
    int Errors,
    double ServerCpuPercent,
    long ServerResidentBytes,
    long ServerBytesPerDevice,
    string Notes)
{
    public static string MarkdownHeader =>
        "| scenario | target | devices | operations | seconds | per second | p50 ms | p95 ms | p99 ms | max ms | errors | server CPU % | server RSS MB | bytes/device | notes |\n" +
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|";

    public string MarkdownRow => string.Create(CultureInfo.InvariantCulture,
        $"| {Scenario} | {Target} | {Devices} | {Operations} | {Seconds:F1} | {PerSecond:F0} | {P50Ms:F2} | {P95Ms:F2} | {P99Ms:F2} | {MaxMs:F1} | {Errors} | {ServerCpuPercent:F0} | {ServerResidentBytes / 1048576.0:F0} | {ServerBytesPerDevice} | {Notes} |");
}
