using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Threading.Channels;
using DeviceFabric.Provisioning;
using MQTTnet;
using MQTTnet.Protocol;

namespace DeviceFabric.LoadTest;

/// <summary>
/// The provision scenario: N devices register at once through one symmetric-key enrollment group, each as the Azure SDKs
/// do (TLS connect with DPS's username and a derived-key token, subscribe, register, poll after each retry-after until
/// assigned, disconnect). Latency is the whole of it, connect to assigned; 64 devices register at a time.
/// </summary>
public sealed partial class Scenarios
{
    private async Task<LoadResult> ProvisionAsync(ServerProbe probe, CancellationToken cancellationToken)
    {
        var group = $"{options.DevicePrefix}-group";
        var groupKey = FabricConnection.KeyOf(group);
        using (var created = await fabric.SendProvisioningAsync(HttpMethod.Put, $"/enrollmentGroups/{group}",
            "{\"attestation\":{\"type\":\"symmetricKey\",\"symmetricKey\":{\"primaryKey\":\"" + groupKey + "\",\"secondaryKey\":\"" + groupKey + "\"}}}", cancellationToken))
        {
            created.EnsureSuccessStatusCode();
        }

        var idScope = fabric.IdScope;
        var latency = new LatencyRecorder(options.Devices);
        probe.Restart();
        var clock = Stopwatch.StartNew();
        using var ticker = new Timer(_ => progress(string.Create(CultureInfo.InvariantCulture,
            $"provision: {latency.Count} assigned, {latency.Count / Math.Max(0.001, clock.Elapsed.TotalSeconds):F0}/s, errors {latency.Errors}")), null, 1000, 1000);
        await Parallel.ForEachAsync(Enumerable.Range(0, options.Devices), new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            var registrationId = $"{options.DevicePrefix}-p-{i:D6}";
            var started = Stopwatch.GetTimestamp();
            try
            {
                await RegisterOneAsync(idScope, registrationId, ProvisioningKeys.Derive(groupKey, registrationId), i, ct);
                latency.Record(Stopwatch.GetElapsedTime(started));
            }
            catch (Exception) when (!ct.IsCancellationRequested)
            {
                latency.Error();
            }
        });

        var seconds = clock.Elapsed.TotalSeconds;
        return Result("provision", latency, options.Devices, seconds, probe, probe.ResidentBytes, 0,
            "group enrollment, symmetric key; latency = TLS connect to assigned (register, poll, device and twin stored)");
    }

    private async Task RegisterOneAsync(string idScope, string registrationId, string key, int index, CancellationToken ct)
    {
        var answers = Channel.CreateUnbounded<(int Status, string Topic, byte[] Body)>();
        using var client = await fabric.ConnectProvisioningAsync(idScope, registrationId, key, index, ct);
        client.ApplicationMessageReceivedAsync += e =>
        {
            answers.Writer.TryWrite((int.Parse(e.ApplicationMessage.Topic.Split('/')[3], CultureInfo.InvariantCulture), e.ApplicationMessage.Topic, System.Buffers.BuffersExtensions.ToArray(e.ApplicationMessage.Payload)));
            return Task.CompletedTask;
        };
        await client.SubscribeAsync("$dps/registrations/res/#", MqttQualityOfServiceLevel.AtLeastOnce, ct);
        var request = 0;
        await client.PublishStringAsync($"$dps/registrations/PUT/iotdps-register/?$rid={++request}", "{\"registrationId\":\"" + registrationId + "\"}", MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken: ct);
        var answer = await answers.Reader.ReadAsync(ct);
        while (answer.Status == 202)
        {
            var retry = RetryAfter().Match(answer.Topic);
            await Task.Delay(retry.Success ? TimeSpan.FromSeconds(double.Parse(retry.Groups[1].Value, CultureInfo.InvariantCulture)) : TimeSpan.FromSeconds(2), ct);
            var operationId = OperationId().Match(Encoding.UTF8.GetString(answer.Body)).Groups[1].Value;
            await client.PublishStringAsync($"$dps/registrations/GET/iotdps-get-operationstatus/?$rid={++request}&operationId={operationId}", " ", MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken: ct);
            answer = await answers.Reader.ReadAsync(ct);
        }

        if (answer.Status != 200 || !Encoding.UTF8.GetString(answer.Body).Contains("\"status\":\"assigned\"", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{registrationId}: {answer.Status} {Encoding.UTF8.GetString(answer.Body)}");
        }

        await client.DisconnectAsync(cancellationToken: ct);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"retry-after=([0-9.]+)")]
    private static partial System.Text.RegularExpressions.Regex RetryAfter();

    [System.Text.RegularExpressions.GeneratedRegex("\"operationId\":\"([^\"]+)\"")]
    private static partial System.Text.RegularExpressions.Regex OperationId();
}
