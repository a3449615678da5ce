using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text.Json;
using DeviceFabric.Contracts;
using DeviceFabric.Contracts.Telemetry;
using DeviceFabric.Hosting;
using DeviceFabric.Telemetry;
using Microsoft.Extensions.Logging;
using NATS.Client.Core;

namespace DeviceFabric.Routing;

/// <summary>
/// Sends a routed message to its endpoint: a named log (appended, durable when it returns), a webhook (POSTed as the
/// event stream's JSON) or a NATS subject (published with its properties as headers). A webhook or NATS send that
/// fails is tried again after 0.5 and 2 seconds; after the third failure the message goes to the hub's dead-letter
/// log with the endpoint and the reason, so the endpoint's delivery moves on and nothing is lost silently.
/// </summary>
internal sealed partial class RouteSenders(HttpClient http, ITelemetryLog log, TelemetryInstruments instruments, GrainClock clock, ILogger<RouteSenders> logger)
    : IAsyncDisposable
{
    private static readonly TimeSpan[] s_retries = [TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(2)];
    private static readonly TimeSpan s_attemptTimeout = TimeSpan.FromSeconds(10);
    private readonly ConcurrentDictionary<string, NatsConnection> _nats = new(StringComparer.Ordinal);

    public async Task SendAsync(string hub, RoutingEndpoint endpoint, TelemetryEvent item, CancellationToken cancellationToken)
    {
        if (endpoint.Kind == RoutingEndpointKind.Log)
        {
            await log.AppendAsync(TelemetryLogNames.Of(hub, endpoint.Name), item.Partition, item.Message);
            instruments.Routed(endpoint.Name, "delivered");
            return;
        }

        string? failure = null;
        for (var attempt = 0; attempt <= s_retries.Length; attempt++)
        {
            if (attempt > 0)
            {
                instruments.Routed(endpoint.Name, "retried");
                await Task.Delay(s_retries[attempt - 1], clock.Time, cancellationToken);
            }

            failure = await TryOnceAsync(endpoint, item, cancellationToken);
            if (failure is null)
            {
                instruments.Routed(endpoint.Name, "delivered");
                return;
            }
        }

        LogDeadLettered(logger, hub, endpoint.Name, failure!);
        var system = new Dictionary<string, string>(item.Message.SystemProperties, StringComparer.Ordinal)
        {
            ["deadletter-endpoint"] = endpoint.Name,
            ["deadletter-reason"] = failure!,
        };
        await log.AppendAsync(TelemetryLogNames.Of(hub, TelemetryLogNames.DeadLetter), item.Partition, item.Message with { SystemProperties = system });
        instruments.Routed(endpoint.Name, "deadlettered");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _nats.Values)
        {
            await connection.DisposeAsync();
        }
    }

    /// <summary>One attempt; null when it was taken, else why not (no secret: the URL's query is never part of it).</summary>
    private async Task<string?> TryOnceAsync(RoutingEndpoint endpoint, TelemetryEvent item, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(s_attemptTimeout);
        try
        {
            if (endpoint.Kind == RoutingEndpointKind.Webhook)
            {
                var body = JsonSerializer.SerializeToUtf8Bytes(TelemetryMapper.ToJson(item), ContractsJsonContext.Default.TelemetryEventJson);
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var response = await http.PostAsync(endpoint.Url, content, timeout.Token);
                return response.IsSuccessStatusCode ? null : $"the webhook answered {(int)response.StatusCode}";
            }

            var headers = new NatsHeaders();
            foreach (var (name, value) in item.Message.Properties.Concat(item.Message.SystemProperties))
            {
                headers[name] = value;
            }

            var connection = _nats.GetOrAdd(endpoint.Url!, url => new NatsConnection(new NatsOpts { Url = url, Name = "devicefabric-routing" }));
            await connection.PublishAsync(endpoint.Subject!, item.Message.Body, headers, serializer: NatsRawSerializer<byte[]>.Default, cancellationToken: timeout.Token);
            // A publish is only handed to the connection's buffer: the server's answer to a ping sent after it says the
            // server has it (it handles a connection's messages in order), so the checkpoint never passes a lost one.
            await connection.PingAsync(timeout.Token);
            return null;
        }
        catch (Exception ex) when (ex is HttpRequestException or NatsException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return ex is OperationCanceledException ? "no answer in time" : ex.GetType().Name + ": " + ex.Message;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A message routed to endpoint {Endpoint} of {Hub} went to the dead-letter log: {Reason}")]
    private static partial void LogDeadLettered(ILogger logger, string hub, string endpoint, string reason);
}
