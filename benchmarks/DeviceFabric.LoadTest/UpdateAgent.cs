using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using MQTTnet;
using MQTTnet.Protocol;

namespace DeviceFabric.LoadTest;

/// <summary>
/// A simulated Device Update agent on a connected device client, speaking ADU's twin contract (component
/// <c>deviceUpdate</c>) over IoT Hub's MQTT twin topics. It reports its device properties and installed update, then
/// acts on the desired <c>deviceUpdate.service</c>: a deployment's files are downloaded (streamed into a SHA-256, never
/// held whole), checked against the manifest's size and hash, and the outcome reported; a cancel is acknowledged. The
/// manifest's signature is not verified: the figures are the fabric's, and a verify per device would be the harness's.
/// One workflow at a time, in the order the twin changed; each report waits for its 204 before the next. This part is
/// the twin plumbing; <c>UpdateAgent.Workflow.cs</c> acts on the workflows.
/// </summary>
public sealed partial class UpdateAgent : IAsyncDisposable
{
    private const string ResponsePrefix = "$iothub/twin/res/", DesiredPrefix = "$iothub/twin/PATCH/properties/desired/", Ok = "00000000";
    private const int ProcessDeployment = 3, CancelAction = 255, Idle = 0, DeploymentInProgress = 6, Failed = 255;
    private const int RequestTimeoutSeconds = 60, BufferBytes = 64 * 1024;

    private readonly IMqttClient _client;
    private readonly HttpClient _http;
    private readonly string _manufacturer;
    private readonly string _model;
    private readonly IReadOnlySet<string> _failVersions;
    private readonly Channel<Desired> _desired = Channel.CreateUnbounded<Desired>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<string, TaskCompletionSource<(int Status, string Body)>> _pending = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<long>> _installs = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();

    // The processing loop's alone (and StartAsync's before the loop runs).
    private readonly Dictionary<string, string?> _processed = new(StringComparer.Ordinal);
    private readonly HashSet<string> _canceled = new(StringComparer.Ordinal);
    private string _installedUpdateId;
    private long? _desiredVersion;

    private volatile string? _installedVersion;
    private long _bytesDownloaded;
    private int _requests;
    private int _completed;
    private int _failed;
    private int _errors;
    private Task? _loop;

    /// <summary>Creates the agent; nothing is sent before <see cref="StartAsync"/>.</summary>
    /// <param name="client">The device's connected client; the agent adds its own message handler.</param>
    /// <param name="http">Shared by the agents, for the file downloads; it must trust the fabric's certificate.</param>
    /// <param name="manufacturer">The <c>manufacturer</c> compatibility property.</param>
    /// <param name="model">The <c>model</c> compatibility property.</param>
    /// <param name="installedUpdateIdJson">The installed update's id as JSON (<see cref="UpdateIdJson"/>), or null for none.</param>
    /// <param name="failVersions">Versions whose install fails on purpose, after the download (extended result 30000010).</param>
    public UpdateAgent(IMqttClient client, HttpClient http, string manufacturer, string model, string? installedUpdateIdJson, IReadOnlySet<string>? failVersions = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(http);
        _client = client;
        _http = http;
        _manufacturer = manufacturer;
        _model = model;
        _failVersions = failVersions ?? new HashSet<string>(StringComparer.Ordinal);
        _installedUpdateId = installedUpdateIdJson ?? string.Empty;
        if (Text(ParseObject(installedUpdateIdJson)?["version"]) is { } version)
        {
            Installed(version);
        }
    }

    /// <summary>The installed update's version; null when none is.</summary>
    public string? InstalledVersion => _installedVersion;

    /// <summary>Bytes received from file downloads so far, failed downloads included.</summary>
    public long BytesDownloaded => Interlocked.Read(ref _bytesDownloaded);

    /// <summary>Workflows finished: installed, failed or canceled.</summary>
    public int CompletedWorkflows => Volatile.Read(ref _completed);

    /// <summary>Deployments the agent reported failed: an unreadable manifest, a download, a file's size or hash, a version failing on purpose.</summary>
    public int FailedWorkflows => Volatile.Read(ref _failed);

    /// <summary>Changes the agent could not act on: a report refused or unanswered within a minute.</summary>
    public int Errors => Volatile.Read(ref _errors);

    /// <summary>An update id as the agent reports it in <c>installedUpdateId</c>: a JSON object in a string.</summary>
    public static string UpdateIdJson(string provider, string name, string version) =>
        new JsonObject { ["provider"] = provider, ["name"] = name, ["version"] = version }.ToJsonString();

    /// <summary>
    /// Completes, with the <see cref="Stopwatch"/> timestamp of the moment, once <paramref name="version"/> is installed:
    /// its success report stored (or at once when it was installed from the start).
    /// </summary>
    public Task<long> WhenInstalledAsync(string version, CancellationToken cancellationToken) => Waiter(version).Task.WaitAsync(cancellationToken);

    /// <summary>Subscribes, reports the agent's properties, reads the twin and acts on its desired component, then on each change of it.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _client.ApplicationMessageReceivedAsync += OnMessageAsync;
        await _client.SubscribeAsync(ResponsePrefix + "#", MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken);
        await _client.SubscribeAsync(DesiredPrefix + "#", MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken);
        var deviceProperties = new JsonObject
        {
            ["manufacturer"] = _manufacturer, ["model"] = _model, ["contractModelId"] = "dtmi:azure:iot:deviceUpdateContractModel;3", ["aduVer"] = "DU;agent/1.1.0",
        };
        await ReportAsync(new JsonObject { ["state"] = Idle, ["installedUpdateId"] = _installedUpdateId, ["deviceProperties"] = deviceProperties, ["compatPropertyNames"] = "manufacturer,model" }, cancellationToken);

        var (status, body) = await RequestAsync("$iothub/twin/GET/", string.Empty, cancellationToken);
        if (status != 200)
        {
            throw new InvalidOperationException($"Twin GET answered {status}: {body}");
        }

        // Patches that came meanwhile are queued already; the desired versions put them and the GET's view in order.
        Enqueue(ParseObject(body)?["desired"] as JsonObject);
        _loop = Task.Run(() => ProcessAsync(_stop.Token), CancellationToken.None);
    }

    /// <summary>Stops acting on changes and waits for the workflow in progress to stop; the client stays connected.</summary>
    public async ValueTask DisposeAsync()
    {
        _client.ApplicationMessageReceivedAsync -= OnMessageAsync;
        _desired.Writer.TryComplete();
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }

        _stop.Dispose();
    }

    /// <summary>Runs on MQTTnet's receive loop, which also brings the answers the processing loop waits for: it only hands over.</summary>
    private Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        var topic = e.ApplicationMessage.Topic;
        if (topic.StartsWith(ResponsePrefix, StringComparison.Ordinal))
        {
            var rest = topic[ResponsePrefix.Length..];
            var slash = rest.IndexOf('/', StringComparison.Ordinal);
            if (slash > 0 && int.TryParse(rest.AsSpan(0, slash), NumberStyles.None, CultureInfo.InvariantCulture, out var status)
                && RidOf(rest) is { } rid && _pending.TryRemove(rid, out var answer))
            {
                answer.TrySetResult((status, Encoding.UTF8.GetString(e.ApplicationMessage.Payload)));
            }
        }
        else if (topic.StartsWith(DesiredPrefix, StringComparison.Ordinal))
        {
            Enqueue(ParseObject(Encoding.UTF8.GetString(e.ApplicationMessage.Payload)));
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// Queues the desired <c>deviceUpdate</c> of a GET's desired section or of a patch. The server writes the component
    /// whole, so each value is the complete component; a patch without it changed something else, and null (the
    /// component removed) asks nothing of the agent.
    /// </summary>
    private void Enqueue(JsonObject? desired)
    {
        if (desired is not null && desired["deviceUpdate"] is JsonObject component)
        {
            _desired.Writer.TryWrite(new Desired(Long(desired["$version"]), component));
        }
    }

    /// <summary>Writes <c>{"deviceUpdate":{"__t":"c","agent":...}}</c> and waits for its 204.</summary>
    private async Task ReportAsync(JsonObject agent, CancellationToken cancellationToken)
    {
        var patch = new JsonObject { ["deviceUpdate"] = new JsonObject { ["__t"] = "c", ["agent"] = agent } };
        var (status, body) = await RequestAsync("$iothub/twin/PATCH/properties/reported/", patch.ToJsonString(), cancellationToken);
        if (status != 204)
        {
            throw new InvalidOperationException($"Reported patch answered {status}: {body}");
        }
    }

    /// <summary>Publishes a twin request and waits for the answer with its <c>$rid</c>.</summary>
    private async Task<(int Status, string Body)> RequestAsync(string operation, string payload, CancellationToken cancellationToken)
    {
        var rid = Interlocked.Increment(ref _requests).ToString(CultureInfo.InvariantCulture);
        var answer = new TaskCompletionSource<(int Status, string Body)>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[rid] = answer;
        try
        {
            await _client.PublishStringAsync($"{operation}?$rid={rid}", payload, MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken: cancellationToken);
            return await answer.Task.WaitAsync(TimeSpan.FromSeconds(RequestTimeoutSeconds), cancellationToken);
        }
        finally
        {
            _pending.TryRemove(rid, out _);
        }
    }

    private void Installed(string version)
    {
        _installedVersion = version;
        Waiter(version).TrySetResult(Stopwatch.GetTimestamp());
    }

    private TaskCompletionSource<long> Waiter(string version) =>
        _installs.GetOrAdd(version, _ => new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously));

    private static string? RidOf(string topic)
    {
        var start = topic.IndexOf("$rid=", StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        var end = topic.IndexOf('&', start);
        return Uri.UnescapeDataString(end < 0 ? topic[(start + 5)..] : topic[(start + 5)..end]);
    }

    private static JsonObject? ParseObject(string? json)
    {
        try
        {
            return string.IsNullOrEmpty(json) ? null : JsonNode.Parse(json) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static long? Long(JsonNode? node) => node is JsonValue value && value.TryGetValue<long>(out var number) ? number : null;

    /// <summary>One view of the desired component: the twin's desired version then, and the component whole.</summary>
    private sealed record Desired(long? Version, JsonObject Component);
}
