using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using DeviceFabric.Hosting;
using Microsoft.Extensions.Logging;

namespace DeviceFabric.Alerts;

/// <summary>
/// POSTs stored alert events to their rules' webhooks, in the background, retrying a failed delivery after 1, 5 and 25
/// seconds; a delivery that still fails is counted and logged (the event stays in the history either way). At most
/// <see cref="MaxInFlight"/> deliveries wait at once; more are dropped and counted, so a dead webhook cannot grow memory.
/// </summary>
internal sealed partial class AlertWebhooks(HttpClient http, GrainClock clock, AlertInstruments instruments, ILogger<AlertWebhooks> logger)
{
    private const int MaxInFlight = 1000;
    private static readonly TimeSpan[] s_retries = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(25)];
    private static readonly TimeSpan s_attemptTimeout = TimeSpan.FromSeconds(10);
    private int _inFlight;

    public void Send(AlertEvent alert, string url)
    {
        if (Interlocked.Increment(ref _inFlight) > MaxInFlight)
        {
            Interlocked.Decrement(ref _inFlight);
            instruments.WebhookCalled(delivered: false);
            LogDropped(logger, alert.RuleId);
            return;
        }

        _ = Task.Run(() => DeliverAsync(alert, url));
    }

    private async Task DeliverAsync(AlertEvent alert, string url)
    {
        try
        {
            await DeliverWithRetriesAsync(alert, url);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            instruments.WebhookCalled(delivered: false);
            LogCrashed(logger, ex, alert.RuleId);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private async Task DeliverWithRetriesAsync(AlertEvent alert, string url)
    {
        {
            var body = Json(alert);
            for (var attempt = 0; ; attempt++)
            {
                if (await TryPostAsync(url, body))
                {
                    instruments.WebhookCalled(delivered: true);
                    return;
                }

                if (attempt == s_retries.Length)
                {
                    instruments.WebhookCalled(delivered: false);
                    LogFailed(logger, alert.RuleId, alert.Hub, s_retries.Length + 1);
                    return;
                }

                await Task.Delay(s_retries[attempt], clock.Time);
            }
        }
    }

    private async Task<bool> TryPostAsync(string url, string body)
    {
        try
        {
            using var timeout = new CancellationTokenSource(s_attemptTimeout);
            using var response = await http.PostAsync(url, new StringContent(body, Encoding.UTF8, "application/json"), timeout.Token);
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            return false;
        }
    }

    internal static string Json(AlertEvent alert) => new JsonObject
    {
        ["hub"] = alert.Hub,
        ["sequence"] = alert.Sequence,
        ["ruleId"] = alert.RuleId,
        ["deviceId"] = alert.DeviceId,
        ["kind"] = alert.Kind == AlertEventKind.Fired ? "fired" : "cleared",
        ["severity"] = alert.Severity.ToString().ToLowerInvariant(),
        ["value"] = JsonNode.Parse(alert.Value),
        ["time"] = alert.Time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
    }.ToJsonString();

    // Names the rule, never the URL: a webhook URL may carry a secret in its query.
    [LoggerMessage(Level = LogLevel.Warning, Message = "The webhook of alert rule {RuleId} in hub {Hub} failed {Attempts} times; the event stays in the history")]
    private static partial void LogFailed(ILogger logger, string ruleId, string hub, int attempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The webhook delivery of an event of alert rule {RuleId} failed unexpectedly")]
    private static partial void LogCrashed(ILogger logger, Exception exception, string ruleId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "An event of alert rule {RuleId} was not sent to its webhook: too many deliveries are waiting")]
    private static partial void LogDropped(ILogger logger, string ruleId);
}
