using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using DeviceFabric.Tests.Infrastructure;

namespace DeviceFabric.Tests.Hosting;

/// <summary>
/// The README's walkthrough, as written: a node started in an empty directory, then, from that directory with no
/// options, the CLI creates a device and monitors events while mosquitto_pub sends telemetry with the CLI's token
/// and the printed CA path. Nothing is passed that a new user would not type.
/// </summary>
public sealed class ReadmeWalkthroughTests
{
    private static readonly string s_cli = Path.Combine(AppContext.BaseDirectory, "devicefabric.dll");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task FromAnEmptyDirectory_TheCliAndMosquittoPub_GetADevicesTelemetryOnTheScreen()
    {
        var directory = Directory.CreateTempSubdirectory("devicefabric-walkthrough-").FullName;
        await using var silo = await SiloProcess.StartAsync("data", workingDirectory: directory);

        var created = await CliAsync(directory, "device-identity", "create", "-d", "thermostat-1");
        Assert.True(created.ExitCode == 0, created.Error);
        Assert.Equal("thermostat-1", JsonDocument.Parse(created.Output).RootElement.GetProperty("deviceId").GetString());
        var token = await CliAsync(directory, "generate-sas-token", "-d", "thermostat-1");
        Assert.True(token.ExitCode == 0, token.Error);

        using var monitor = Start(directory, "monitor-events", "--max-events", "1", "--timeout", "60");
        var printed = monitor.StandardOutput.ReadLineAsync(Ct).AsTask();
        // The monitor reads from the latest event once its streams are open: the device sends until it prints one.
        var sent = 0;
        while (!printed.IsCompleted)
        {
            var (exitCode, output) = await ExternalProcess.RunAsync("mosquitto_pub", [
                "-h", "localhost", "-p", silo.MqttTlsPort.ToString(CultureInfo.InvariantCulture), "--cafile", "data/certs/ca.pem",
                "-V", "mqttv311", "-q", "1", "-i", "thermostat-1", "-u", "localhost/thermostat-1/?api-version=2021-04-12",
                "-P", token.Output.Trim(),
                "-t", "devices/thermostat-1/messages/events/%24.ct=application%2Fjson&%24.ce=utf-8", "-m", """{"temperature":21.5}""",
            ], null, TimeSpan.FromSeconds(30), directory);
            Assert.True(exitCode == 0, output);
            sent++;
        }

        var line = await printed ?? throw new InvalidOperationException("monitor-events ended without an event: " + await monitor.StandardError.ReadToEndAsync(Ct));
        var @event = JsonDocument.Parse(line).RootElement;
        Assert.Equal("thermostat-1", @event.GetProperty("deviceId").GetString());
        Assert.Equal(21.5, @event.GetProperty("body").GetProperty("temperature").GetDouble());
        await monitor.WaitForExitAsync(Ct);
        Assert.Equal(0, monitor.ExitCode);
        Assert.True(sent >= 1);
    }

    private static Process Start(string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(s_cli);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var name in new[] { "DEVICEFABRIC_DATA", "DEVICEFABRIC_CONNECTION_STRING", "DEVICEFABRIC_ENDPOINT", "DEVICEFABRIC_CA" })
        {
            start.Environment.Remove(name);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("the CLI did not start");
    }

    private static async Task<(int ExitCode, string Output, string Error)> CliAsync(string directory, params string[] arguments)
    {
        using var process = Start(directory, arguments);
        var output = process.StandardOutput.ReadToEndAsync(Ct);
        var error = process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct).WaitAsync(TimeSpan.FromMinutes(1), Ct);
        return (process.ExitCode, await output, await error);
    }
}
