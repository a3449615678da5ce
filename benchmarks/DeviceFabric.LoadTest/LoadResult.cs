using System.Globalization;

namespace DeviceFabric.LoadTest;

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
    double HarnessCpuPercent,
    long ServerResidentBytes,
    long ServerBytesPerDevice,
    string Notes)
{
    public static string MarkdownHeader =>
        "| scenario | target | devices | operations | seconds | per second | p50 ms | p95 ms | p99 ms | max ms | errors | server CPU % | harness CPU % | server RSS MB | bytes/device | notes |\n" +
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|";

    public string MarkdownRow => string.Create(CultureInfo.InvariantCulture,
        $"| {Scenario} | {Target} | {Devices} | {Operations} | {Seconds:F1} | {PerSecond:F0} | {P50Ms:F2} | {P95Ms:F2} | {P99Ms:F2} | {MaxMs:F1} | {Errors} | {ServerCpuPercent:F0} | {HarnessCpuPercent:F0} | {ServerResidentBytes / 1048576.0:F0} | {ServerBytesPerDevice} | {Notes} |");
}
