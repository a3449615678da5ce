using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace DeviceFabric.Tests.Infrastructure;

/// <summary>
/// The silo executable in a process of its own, so a test can kill it hard (no graceful stop, nothing flushed) and
/// start it again on the same data directory.
/// </summary>
internal sealed partial class SiloProcess : INodeEndpoints, IAsyncDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<string> _output = [];
    private (string Category, LogLevel Level)? _pendingLog;

    private SiloProcess(Process process, string dataDirectory, int httpsPort, int mqttTlsPort, int gatewayPort)
    {
        _process = process;
        GatewayPort = gatewayPort;
        DataDirectory = dataDirectory;
        BaseAddress = new Uri($"https://localhost:{httpsPort}");
        MqttTlsPort = mqttTlsPort;
    }

    public Uri BaseAddress { get; }

    public int MqttTlsPort { get; }

    /// <summary>The Orleans gateway port, for the grain client SDK.</summary>
    public int GatewayPort { get; }

    public string DataDirectory { get; }

    /// <summary>What the process logged at warning level and above; whatever no test expected fails its owner at dispose.</summary>
    public ServerLogs Logs { get; } = new();

    /// <summary>The process id, for reading its memory and CPU time from <c>/proc</c>.</summary>
    public int Pid => _process.Id;

    /// <summary>The plain MQTT port, when the silo was started with one.</summary>
    public int PlainPort { get; private init; }

    /// <summary>The digital twins API's port.</summary>
    public int DigitalTwinsPort { get; private init; }

    /// <summary>
    /// Starts the silo on <paramref name="dataDirectory"/>; <paramref name="settings"/> are extra configuration
    /// (<c>DeviceFabric:Mqtt:ConnectTimeout</c>...), and <paramref name="plainMqtt"/> opens a plain MQTT port too.
    /// <paramref name="workingDirectory"/> is where it runs (default: the test binaries'), against which a relative
    /// <paramref name="dataDirectory"/> is resolved.
    /// </summary>
    public static async Task<SiloProcess> StartAsync(string dataDirectory, IReadOnlyDictionary<string, string>? settings = null, bool plainMqtt = false, string? workingDirectory = null)
    {
        var https = FreePort.Next();
        var mqtt = FreePort.Next();
        var gateway = FreePort.Next();
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "DeviceFabric.Silo.dll")])
        {
            WorkingDirectory = workingDirectory ?? AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["DeviceFabric__Node__DataDirectory"] = dataDirectory;
        start.Environment["DeviceFabric__Node__ListenAddress"] = "127.0.0.1";
        start.Environment["DeviceFabric__Node__HttpsPort"] = https.ToString(CultureInfo.InvariantCulture);
        start.Environment["DeviceFabric__Node__StandardHttpsPort"] = "0";
        start.Environment["DeviceFabric__Mqtt__TlsPort"] = mqtt.ToString(CultureInfo.InvariantCulture);
        var twins = FreePort.Next();
        start.Environment["DeviceFabric__DigitalTwins__HttpsPort"] = twins.ToString(CultureInfo.InvariantCulture);
        start.Environment["DeviceFabric__Storage__SiloPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture);
        start.Environment["DeviceFabric__Storage__GatewayPort"] = gateway.ToString(CultureInfo.InvariantCulture);
        start.Environment["DeviceFabric__Mqtt__FailedLoginsBeforeBackoff"] = "1000000";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        var plain = plainMqtt ? FreePort.Next() : 0;
        start.Environment["DeviceFabric__Mqtt__PlainPort"] = plain.ToString(CultureInfo.InvariantCulture);
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var silo = new SiloProcess(Process.Start(start) ?? throw new InvalidOperationException("The silo did not start"), dataDirectory, https, mqtt, gateway)
        {
            PlainPort = plain,
            DigitalTwinsPort = twins,
        };
        silo._process.OutputDataReceived += (_, e) => silo.Record(e.Data);
        silo._process.ErrorDataReceived += (_, e) => silo.Record(e.Data);
        silo._process.BeginOutputReadLine();
        silo._process.BeginErrorReadLine();
        silo._process.EnableRaisingEvents = true;
        silo._process.Exited += (_, _) => silo._ready.TrySetException(new InvalidOperationException("The silo exited: " + silo.Output));
        try
        {
            await silo._ready.Task.WaitAsync(TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException)
        {
            silo.Kill();
            throw new TimeoutException("The silo did not become ready: " + silo.Output);
        }

        return silo;
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join(Environment.NewLine, _output);
            }
        }
    }

    /// <summary>Asks the process to stop, as a service manager does (SIGTERM), and returns how long it took to exit.</summary>
    public async Task<TimeSpan> TerminateAsync(TimeSpan timeout)
    {
        var started = Stopwatch.GetTimestamp();
        var (exitCode, output) = await ExternalProcess.RunAsync("kill", ["-TERM", Pid.ToString(CultureInfo.InvariantCulture)], null, TimeSpan.FromSeconds(10));
        Assert.True(exitCode == 0, output);
        await _process.WaitForExitAsync(new CancellationTokenSource(timeout).Token);
        return Stopwatch.GetElapsedTime(started);
    }

    /// <summary>Kills the process at once, as a power cut or the OOM killer would.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        Logs.AssertNoneUnexpected($"The silo process on {DataDirectory}");
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// The console logger writes <c>warn: Category[id]</c> and the message on the next line; the two are paired here.
    /// Called under the output lock, so lines arrive in order.
    /// </summary>
    private void RecordLog(string line)
    {
        if (_pendingLog is { } pending && line.StartsWith("      ", StringComparison.Ordinal))
        {
            Logs.Record(new ServerLogEntry(pending.Category, pending.Level, line.Trim()));
            _pendingLog = null;
            return;
        }

        var match = ConsoleLogHeader().Match(line);
        _pendingLog = match.Success
            ? (match.Groups["category"].Value, match.Groups["level"].Value switch { "warn" => LogLevel.Warning, "fail" => LogLevel.Error, _ => LogLevel.Critical })
            : null;
    }

    [GeneratedRegex(@"^(?<level>warn|fail|crit): (?<category>[^\[\s]+)\[")]
    private static partial Regex ConsoleLogHeader();

    private void Record(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Add(line);
            RecordLog(line);
        }

        if (line.StartsWith("DeviceFabric: ready", StringComparison.Ordinal))
        {
            _ready.TrySetResult();
        }
    }
}
