using System.Globalization;

namespace DeviceFabric.Tests.Infrastructure;

/// <summary>What Linux says of a process in <c>/proc</c>: its resident memory and the CPU time it has used.</summary>
internal static class ProcessProbe
{
    /// <summary>Clock ticks per second of <c>/proc/{pid}/stat</c> (USER_HZ, 100 on Linux).</summary>
    private const double TicksPerSecond = 100;

    /// <summary>Resident memory in bytes (<c>VmRSS</c>).</summary>
    public static long ResidentBytes(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }

    /// <summary>User plus system CPU time used so far.</summary>
    public static TimeSpan CpuTime(int pid)
    {
        // The command name (field 2) may hold spaces; fields are counted after its closing parenthesis.
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }
}
