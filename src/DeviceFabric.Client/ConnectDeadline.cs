using Orleans.Runtime.Messaging;

namespace DeviceFabric.Client;

/// <summary>
/// Retries a refused or failed connection to the gateways every half second until the connect timeout, rather than
/// Orleans' default of fifteen ever longer waits (three minutes in all) before a caller learns it cannot connect.
/// </summary>
internal sealed class ConnectDeadline(TimeSpan timeout) : IClientConnectionRetryFilter
{
    private static readonly TimeSpan s_pause = TimeSpan.FromMilliseconds(500);
    private readonly DateTime _deadline = DateTime.UtcNow + timeout;

    public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested || DateTime.UtcNow + s_pause > _deadline
            || exception is not (OrleansMessageRejectionException or ConnectionFailedException))
        {
            return false;
        }

        await Task.Delay(s_pause, cancellationToken).ConfigureAwait(false);
        return true;
    }
}
