using DeviceFabric.Hubs;
using DeviceFabric.Security;
using DeviceFabric.Streams;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Streams;

namespace DeviceFabric.Mqtt.Sessions;

/// <summary>
/// Closes this front end's sessions whose credentials were withdrawn: a policy key replaced or deleted, a CA deleted or
/// replaced, a certificate revoked. Device keys need no notice (the device's grain ends its own session); these are
/// shared by many devices, so their grains announce them on each hub's credentials stream and every front end looks
/// through its own connections. Beyond IoT Hub, which lets such sessions live until their token expires.
/// </summary>
internal sealed partial class CredentialWatch(
    IServiceProvider services,
    ConnectionRegistry registry,
    IOptions<HubOptions> hubOptions,
    TimeProvider time,
    ILogger<CredentialWatch> logger) : IHostedLifecycleService
{
    /// <summary>How long a withdrawal is remembered for connections that were being accepted when it came.</summary>
    private static readonly TimeSpan s_remembered = TimeSpan.FromSeconds(30);

    private readonly List<StreamSubscriptionHandle<CredentialWithdrawal>> _subscriptions = [];
    private readonly Queue<(DateTimeOffset At, CredentialWithdrawal Withdrawal)> _recent = new();
    private readonly Lock _recentLock = new();

    /// <summary>
    /// Whether a credential was withdrawn in the last half minute: a connection accepted before the withdrawal but
    /// registered after this front end scanned its connections would otherwise keep it. The withdrawal is recorded
    /// before the scan and a connection registered before this check, so one of the two always sees the other.
    /// </summary>
    public bool WithdrawnRecently(string hub, SessionCredential? credential)
    {
        lock (_recentLock)
        {
            Forget();
            return _recent.Any(r => r.Withdrawal.Hub == hub && r.Withdrawal.Ends(credential));
        }
    }

    private void Forget()
    {
        var cutoff = time.GetUtcNow() - s_remembered;
        while (_recent.TryPeek(out var oldest) && oldest.At < cutoff)
        {
            _recent.Dequeue();
        }
    }

    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        // A gateway that is only a grain factory has no stream provider; its device grains still refuse the next connect.
        if (services.GetService<IClusterClient>() is not { } client)
        {
            return;
        }

        var provider = client.GetStreamProvider(FabricStreams.ProviderName);
        foreach (var hub in hubOptions.Value.All)
        {
            var stream = provider.GetStream<CredentialWithdrawal>(StreamId.Create(FabricStreams.CredentialsNamespace, hub.Name));
            _subscriptions.Add(await stream.SubscribeAsync((withdrawal, _) => CloseAsync(withdrawal)).ConfigureAwait(false));
        }
    }

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        foreach (var subscription in _subscriptions)
        {
            try
            {
                await subscription.UnsubscribeAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // The silo may already be stopping its streams; the subscription dies with it.
                LogUnsubscribeFailed(logger, ex);
            }
        }

        _subscriptions.Clear();
    }

    private async Task CloseAsync(CredentialWithdrawal withdrawal)
    {
        lock (_recentLock)
        {
            Forget();
            _recent.Enqueue((time.GetUtcNow(), withdrawal));
        }

        var closing = registry.ConnectionsOf(withdrawal.Hub).Where(c => withdrawal.Ends(c.Credential)).ToList();
        if (closing.Count > 0)
        {
            LogClosing(logger, closing.Count, withdrawal.Hub);
        }

        foreach (var connection in closing)
        {
            await registry.CloseSessionAsync(connection.Hub, connection.DeviceId, connection.SessionId, "the credential it authenticated with was withdrawn").ConfigureAwait(false);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Closing {Count} sessions of hub {Hub}: their credential was withdrawn")]
    private static partial void LogClosing(ILogger logger, int count, string hub);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not unsubscribe from a credentials stream while stopping")]
    private static partial void LogUnsubscribeFailed(ILogger logger, Exception exception);
}
