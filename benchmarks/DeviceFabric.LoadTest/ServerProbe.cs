using System.Diagnostics;
using System.Globalization;

namespace DeviceFabric.LoadTest;

/// <summary>
/// The server's CPU time and resident memory, read from /proc for the PID given, and the harness's own CPU time beside
/// it: on a machine the two share, a server that costs more per message leaves the harness less to send with.
/// </summary>
public sealed class ServerProbe(int pid)
{
    private static readonly int Self = Environment.ProcessId;
    private readonly Stopwatch _wall = Stopwatch.StartNew();
    private double _startCpu = CpuSeconds(pid);
    private double _startHarnessCpu = CpuSeconds(Self);

    public long ResidentBytes => pid == 0 ? 0 : ReadRss(pid);

    public void Restart()
    {
        _startCpu = CpuSeconds(pid);
        _startHarnessCpu = CpuSeconds(Self);
        _wall.Restart();
    }

    /// <summary>CPU used since the start, as a percentage of one core (200 = both cores of this machine).</summary>
    public double CpuPercent => pid == 0 ? 0 : (CpuSeconds(pid) - _startCpu) / _wall.Elapsed.TotalSeconds * 100;

    /// <summary>The harness's own CPU since the start, in the same unit.</summary>
    public double HarnessCpuPercent => (CpuSeconds(Self) - _startHarnessCpu) / _wall.Elapsed.TotalSeconds * 100;

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
