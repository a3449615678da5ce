using System.Text.Json;
using DeviceFabric.LoadTest;

// The load harness: `dotnet run -c Release --project benchmarks/DeviceFabric.LoadTest -- <scenario> [--devices N]
// [--messages M] [--seconds S] [--qos 0|1] [--payload B] [--target fabric|mosquitto] [--mqtt-port P] [--https-port P]
// [--data DIR] [--server-pid PID] [--out DIR] [--auth sas|x509ca] [--hub NAME] [--update-bytes B] [--waves K]`. Scenarios: connect,
// telemetry, reported, desired, methods, c2d, job, provision, update (a Device Update rollout of a B-byte file to every device, in K waves).
// benchmarks/run-load.sh starts the node (and mosquitto) and runs them all.
var options = LoadOptions.Parse(args);
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

ThreadPool.SetMinThreads(Math.Max(64, options.Devices / 4), Math.Max(64, options.Devices / 4));
using var fabric = new FabricConnection(options);
var result = await new Scenarios(options, fabric, line => Console.Error.Write("\r" + line + "   ")).RunAsync(cancel.Token);
Console.Error.WriteLine();

Directory.CreateDirectory(options.Output);
var name = $"{result.Scenario}-{result.Target.Replace(" (plain)", "-plain", StringComparison.Ordinal)}" + (result.Scenario == "telemetry" ? $"-qos{options.Qos}" : string.Empty);
await File.WriteAllTextAsync(Path.Combine(options.Output, name + ".json"), JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true }));
await File.WriteAllTextAsync(Path.Combine(options.Output, name + ".md"), LoadResult.MarkdownHeader + "\n" + result.MarkdownRow + "\n");
Console.WriteLine(LoadResult.MarkdownHeader);
Console.WriteLine(result.MarkdownRow);
return result.Errors == 0 ? 0 : 1;
