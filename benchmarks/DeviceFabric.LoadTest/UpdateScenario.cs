using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using MQTTnet;

namespace DeviceFabric.LoadTest;

/// <summary>
/// The update scenario: a Device Update rollout end to end. Every connected device is tagged into the group the device
/// prefix names and runs an <see cref="UpdateAgent"/> (Contoso LoadToaster, 1.0 installed); an update 2.0 with one
/// random file of <c>--update-bytes</c> is uploaded and deployed to the group (in <c>--waves</c> equal waves), and the
/// clock runs from the deployment's PUT until every device has reported 2.0 installed. Latency is each device's own,
/// PUT to its success report stored; operations are the devices that installed it.
/// </summary>
public sealed partial class Scenarios
{
    private const string UpdateProvider = "Contoso";
    private const string UpdateName = "LoadToaster";
    private const string UpdateVersion = "2.0";
    private const string FirmwareFile = "firmware.bin";
    private const string AduApi = "api-version=2022-10-01";

    private async Task<LoadResult> UpdateAsync(IMqttClient[] clients, ServerProbe probe, CancellationToken cancellationToken)
    {
        var group = options.DevicePrefix;
        var deployments = $"/deviceUpdate/{options.Hub}/management/groups/{group}/deployments";
        progress("update: clearing an earlier run, tagging the twins");
        await ClearEarlierRunAsync(deployments, cancellationToken);

        // Tagged before the agents report, so each twin joins the group once.
        await Parallel.ForEachAsync(Enumerable.Range(0, clients.Length), new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            using var tagged = await fabric.SendAsync(HttpMethod.Patch, $"/twins/{fabric.DeviceId(i)}", "{\"tags\":{\"ADUGroup\":\"" + group + "\"}}", ct, ("If-Match", "\"*\""));
            tagged.EnsureSuccessStatusCode();
        });

        // Enough connections that the devices of a wave do not queue for one.
        using var downloads = fabric.CreateHttpClient(256);
        var installed = UpdateAgent.UpdateIdJson(UpdateProvider, UpdateName, "1.0");
        var agents = clients.Select(client => new UpdateAgent(client, downloads, UpdateProvider, UpdateName, installed)).ToArray();
        try
        {
            progress("update: starting the agents");
            await Parallel.ForEachAsync(agents, new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = cancellationToken }, async (agent, ct) => await agent.StartAsync(ct));
            progress("update: importing");
            await ImportUpdateAsync(cancellationToken);
            return await RolloutAsync(agents, deployments, probe, cancellationToken);
        }
        finally
        {
            foreach (var agent in agents)
            {
                await agent.DisposeAsync();
            }
        }
    }

    private async Task<LoadResult> RolloutAsync(UpdateAgent[] agents, string deployments, ServerProbe probe, CancellationToken cancellationToken)
    {
        var deploymentId = $"{options.DevicePrefix}-{Guid.NewGuid():N}";
        var body = new JsonObject { ["update"] = new JsonObject { ["updateId"] = UpdateIdNode(UpdateVersion) } };
        var waves = Math.Clamp(options.Waves, 1, 20);
        if (waves > 1)
        {
            // Equal shares; the last takes what the division leaves, so the waves cover the whole group.
            var list = new JsonArray();
            for (var wave = 0; wave < waves; wave++)
            {
                list.Add((JsonNode)new JsonObject { ["percentage"] = wave < waves - 1 ? 100 / waves : 100 - (100 / waves * (waves - 1)) });
            }

            body["rollout"] = new JsonObject { ["waves"] = list, ["waitBetweenWavesInSeconds"] = 0 };
        }

        var latency = new LatencyRecorder(agents.Length);
        using var window = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        window.CancelAfter(options.Duration);
        probe.Restart();
        var started = Stopwatch.GetTimestamp();
        var installs = agents.Select(agent => InstalledAtAsync(agent, started, latency, window.Token)).ToArray();
        using (var put = await fabric.SendAsync(HttpMethod.Put, $"{deployments}/{deploymentId}?{AduApi}", body.ToJsonString(), cancellationToken))
        {
            await SucceededAsync(put, "PUT deployment", cancellationToken);
        }

        RolloutStatus status;
        while (true)
        {
            status = await DeploymentStatusAsync($"{deployments}/{deploymentId}/status?{AduApi}", cancellationToken);
            var onIt = installs.Count(t => t.IsCompleted);
            progress(string.Create(CultureInfo.InvariantCulture,
                $"update: {status.Succeeded}/{agents.Length} succeeded, {status.InProgress} in progress, {status.Failed} failed, {onIt} agents on {UpdateVersion}, {agents.Sum(a => a.BytesDownloaded) / 1048576.0:F0} MB, {Stopwatch.GetElapsedTime(started).TotalSeconds:F0} s"));

            // Done when every device has an outcome and each success the status counts has reached its agent too.
            if (window.IsCancellationRequested || (status.Succeeded + status.Failed >= agents.Length && onIt >= Math.Min(status.Succeeded, agents.Length)))
            {
                break;
            }

            try
            {
                await Task.Delay(1000, window.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The window closed: one more status read is the final view.
            }
        }

        var confirmed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        await window.CancelAsync();
        var stamps = await Task.WhenAll(installs);
        var all = stamps.All(s => s != 0);
        var last = stamps.DefaultIfEmpty().Max();
        var seconds = all && last > started ? Stopwatch.GetElapsedTime(started, last).TotalSeconds : confirmed;
        var bytes = agents.Sum(a => a.BytesDownloaded);
        var notes = string.Join("; ",
            all
                ? string.Create(CultureInfo.InvariantCulture, $"{latency.Count}/{agents.Length} on {UpdateVersion} in {seconds:F1} s (PUT to the last success report)")
                : string.Create(CultureInfo.InvariantCulture, $"{latency.Count}/{agents.Length} on {UpdateVersion} when the {options.Duration.TotalSeconds:F0} s window closed"),
            string.Create(CultureInfo.InvariantCulture, $"{waves} wave(s), {options.UpdateBytes} B file, {bytes / 1048576.0:F1} MB downloaded, {bytes / 1048576.0 / Math.Max(seconds, 0.001):F1} MB/s"),
            string.Create(CultureInfo.InvariantCulture, $"status at {confirmed:F1} s: {status.Succeeded} succeeded, {status.InProgress} in progress, {status.Failed} failed, {status.NotStarted} not started, {status.State}"),
            string.Create(CultureInfo.InvariantCulture, $"agents: {agents.Sum(a => a.FailedWorkflows)} failed workflows, {agents.Sum(a => a.Errors)} errors"),
            "latency = PUT to the device's success report stored");
        return Result("update", latency, agents.Length, seconds, probe, probe.ResidentBytes, 0, notes);
    }

    /// <summary>When <paramref name="agent"/> installed the update (a <see cref="Stopwatch"/> timestamp), recorded; 0 and an error if not in time.</summary>
    private static async Task<long> InstalledAtAsync(UpdateAgent agent, long started, LatencyRecorder latency, CancellationToken cancellationToken)
    {
        try
        {
            var at = await agent.WhenInstalledAsync(UpdateVersion, cancellationToken);
            latency.Record(at > started ? Stopwatch.GetElapsedTime(started, at) : TimeSpan.Zero);
            return at;
        }
        catch (OperationCanceledException)
        {
            latency.Error();
            return 0;
        }
    }

    /// <summary>
    /// Deletes what an earlier run on the node left: the group's deployments (so the twins lose their content, and no
    /// agent starts on a stale workflow) and update 2.0 (an import of a version already there is refused).
    /// </summary>
    private async Task ClearEarlierRunAsync(string deployments, CancellationToken cancellationToken)
    {
        using (var listed = await fabric.SendAsync(HttpMethod.Get, $"{deployments}?{AduApi}", string.Empty, cancellationToken))
        {
            if (listed.IsSuccessStatusCode && JsonNode.Parse(await listed.Content.ReadAsStringAsync(cancellationToken))?["value"] is JsonArray earlier)
            {
                foreach (var id in earlier.Select(d => (d as JsonObject)?["deploymentId"]?.GetValue<string>()).OfType<string>())
                {
                    using var deleted = await fabric.SendAsync(HttpMethod.Delete, $"{deployments}/{id}?{AduApi}", string.Empty, cancellationToken);
                }
            }
        }

        // A 404 when no run imported it yet; any other failure shows at the upload.
        using var update = await fabric.SendAsync(HttpMethod.Delete, $"/deviceUpdate/{options.Hub}/updates/providers/{UpdateProvider}/names/{UpdateName}/versions/{UpdateVersion}?{AduApi}", string.Empty, cancellationToken);
    }

    /// <summary>Uploads update 2.0: its import manifest and a random file, written to a temporary file and hashed as it is made, then streamed.</summary>
    private async Task ImportUpdateAsync(CancellationToken cancellationToken)
    {
        var path = Path.Combine(Path.GetTempPath(), Path.GetRandomFileName());
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.Asynchronous | FileOptions.DeleteOnClose);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var chunk = new byte[1 << 16];
        for (var left = options.UpdateBytes; left > 0; left -= chunk.Length)
        {
            var count = (int)Math.Min(chunk.Length, left);
            Random.Shared.NextBytes(chunk.AsSpan(0, count));
            hash.AppendData(chunk, 0, count);
            await file.WriteAsync(chunk.AsMemory(0, count), cancellationToken);
        }

        file.Position = 0;
        var manifest = new JsonObject
        {
            ["updateId"] = UpdateIdNode(UpdateVersion),
            ["isDeployable"] = true,
            ["compatibility"] = new JsonArray(new JsonObject { ["manufacturer"] = UpdateProvider, ["model"] = UpdateName }),
            ["instructions"] = new JsonObject
            {
                ["steps"] = new JsonArray(new JsonObject
                {
                    ["handler"] = "microsoft/swupdate:1", ["files"] = new JsonArray(JsonValue.Create(FirmwareFile)), ["handlerProperties"] = new JsonObject { ["installedCriteria"] = UpdateVersion },
                }),
            },
            ["files"] = new JsonArray(new JsonObject
            {
                ["filename"] = FirmwareFile, ["sizeInBytes"] = options.UpdateBytes, ["hashes"] = new JsonObject { ["sha256"] = Convert.ToBase64String(hash.GetHashAndReset()) },
            }),
            ["manifestVersion"] = "4.0",
            ["createdDateTime"] = "2026-01-01T00:00:00Z",
        };
        using var content = new MultipartFormDataContent();
        content.Add(new StringContent(manifest.ToJsonString(), Encoding.UTF8, "application/json"), "importManifest", "importManifest.json");
        var payload = new StreamContent(file);
        payload.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Add(payload, "file", FirmwareFile);
        using var uploaded = await fabric.SendAsync(HttpMethod.Post, $"/deviceUpdate/{options.Hub}/updates:upload?{AduApi}", content, cancellationToken);
        await SucceededAsync(uploaded, "upload", cancellationToken);
    }

    /// <summary>The deployment's status, summed over its device classes.</summary>
    private async Task<RolloutStatus> DeploymentStatusAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await fabric.SendAsync(HttpMethod.Get, path, string.Empty, cancellationToken);
        var status = JsonNode.Parse(await SucceededAsync(response, "deployment status", cancellationToken)) as JsonObject;
        var subgroups = (status?["subgroupStatus"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
        long Sum(string name) => subgroups.Sum(s => s[name]?.GetValue<long>() ?? 0);
        return new RolloutStatus(
            Sum("devicesCompletedSucceededCount"), Sum("devicesInProgressCount"), Sum("devicesCompletedFailedCount"), Sum("devicesNotStartedCount"),
            status?["deploymentState"]?.GetValue<string>());
    }

    private static JsonObject UpdateIdNode(string version) => new() { ["provider"] = UpdateProvider, ["name"] = UpdateName, ["version"] = version };

    /// <summary>The response's body; an exception naming the call and the answer when it is not a success.</summary>
    private static async Task<string> SucceededAsync(HttpResponseMessage response, string call, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        return response.IsSuccessStatusCode ? body : throw new InvalidOperationException($"{call}: HTTP {(int)response.StatusCode} {body}");
    }

    /// <summary>Device counts of a deployment over its device classes, and its state.</summary>
    private readonly record struct RolloutStatus(long Succeeded, long InProgress, long Failed, long NotStarted, string? State);
}
