using System.Globalization;

namespace DeviceFabric.LoadTest;

/// <summary>What to run and against what; parsed from <c>--name value</c> pairs.</summary>
public sealed class LoadOptions
{
    public string Scenario { get; set; } = "telemetry";

    /// <summary><c>fabric</c> (IoT Hub dialect, SAS, TLS) or <c>mosquitto</c> (plain MQTT, no auth): the baseline.</summary>
    public string Target { get; set; } = "fabric";

    public int Devices { get; set; } = 100;

    public int MessagesPerDevice { get; set; } = 100;

    public TimeSpan Duration { get; set; } = TimeSpan.FromSeconds(30);

    public int Qos { get; set; } = 1;

    public int PayloadBytes { get; set; } = 128;

    public string Host { get; set; } = "localhost";

    public int MqttPort { get; set; } = 8883;

    public int HttpsPort { get; set; } = 8443;

    /// <summary>The digital twins API's port (<c>--twins-port</c>), for the <c>digitaltwins</c> scenario.</summary>
    public int TwinsPort { get; set; } = 8444;

    /// <summary>The node's data directory: the owner connection string and the CA are read from it.</summary>
    public string DataDirectory { get; set; } = "data";

    public int ServerPid { get; set; }

    /// <summary>TLS to the fabric's MQTT port; false for its plain port (the like-for-like comparison with mosquitto).</summary>
    public bool Tls { get; set; } = true;

    public string Output { get; set; } = "loadtest-results";

    public string DevicePrefix { get; set; } = "load";

    /// <summary><c>sas</c> (a token per connect) or <c>x509ca</c> (a certificate per device from a CA the hub verified).</summary>
    public string Auth { get; set; } = "sas";

    /// <summary>Alert rules put on the hub before the run (a threshold, a window, anomaly detection, in turn); telemetry is then JSON.</summary>
    public int Rules { get; set; }

    /// <summary>
    /// Automatic configurations put on the hub before the run, in turn: one targeting a tag no device has, then one whose
    /// condition reads a reported property every device reports (so each reported patch makes its twin re-evaluate).
    /// </summary>
    public int Configurations { get; set; }

    /// <summary>The hub's name: Device Update's API takes it as its instance id.</summary>
    public string Hub { get; set; } = "devicefabric";

    /// <summary>Size of the random file of the update the <c>update</c> scenario imports, which every device downloads.</summary>
    public long UpdateBytes { get; set; } = 1048576;

    /// <summary>Waves of the <c>update</c> scenario's deployment, each an equal share of the group; 1 releases every device at once.</summary>
    public int Waves { get; set; } = 1;

    public static LoadOptions Parse(IReadOnlyList<string> args)
    {
        var options = new LoadOptions();
        if (args.Count > 0 && !args[0].StartsWith("--", StringComparison.Ordinal))
        {
            options.Scenario = args[0];
        }

        for (var i = 0; i < args.Count - 1; i++)
        {
            var value = args[i + 1];
            int Int() => int.Parse(value, CultureInfo.InvariantCulture);
            switch (args[i])
            {
                case "--target": options.Target = value; break;
                case "--devices": options.Devices = Int(); break;
                case "--messages": options.MessagesPerDevice = Int(); break;
                case "--seconds": options.Duration = TimeSpan.FromSeconds(Int()); break;
                case "--qos": options.Qos = Int(); break;
                case "--payload": options.PayloadBytes = Int(); break;
                case "--host": options.Host = value; break;
                case "--mqtt-port": options.MqttPort = Int(); break;
                case "--https-port": options.HttpsPort = Int(); break;
                case "--twins-port": options.TwinsPort = Int(); break;
                case "--data": options.DataDirectory = value; break;
                case "--server-pid": options.ServerPid = Int(); break;
                case "--tls": options.Tls = bool.Parse(value); break;
                case "--out": options.Output = value; break;
                case "--prefix": options.DevicePrefix = value; break;
                case "--auth": options.Auth = value; break;
                case "--rules": options.Rules = Int(); break;
                case "--configurations": options.Configurations = Int(); break;
                case "--hub": options.Hub = value; break;
                case "--update-bytes": options.UpdateBytes = long.Parse(value, CultureInfo.InvariantCulture); break;
                case "--waves": options.Waves = Int(); break;
                default: break;
            }
        }

        return options;
    }
}
