using DeviceFabric.Streams;
using Microsoft.Extensions.Logging;

namespace DeviceFabric.Security;

/// <summary>
/// What a grain does after storing a change to credentials: tell every front end which credentials stopped working (so
/// the sessions that used them close) and record the change in the hub's audit history. Both come after the change is
/// stored; a failure is logged and never undoes it: tokens and certificates are checked against the stored state at
/// every connect and request anyway.
/// </summary>
internal static partial class SecurityNotices
{
    public static async Task WithdrawAsync(Grain grain, CredentialWithdrawal withdrawal, ILogger logger)
    {
        try
        {
            var stream = grain.GetStreamProvider(FabricStreams.ProviderName)
                .GetStream<CredentialWithdrawal>(StreamId.Create(FabricStreams.CredentialsNamespace, withdrawal.Hub));
            await stream.OnNextAsync(withdrawal);
        }
        catch (Exception ex)
        {
            LogWithdrawalLost(logger, ex, withdrawal.Hub);
        }
    }

    public static async Task AuditAsync(IGrainFactory grains, string hub, SecurityAuditKind kind, string subject, string detail, ILogger logger)
    {
        try
        {
            await grains.GetGrain<ISecurityAuditGrain>(hub).RecordAsync(kind, subject, detail, SecurityActor.Current);
        }
        catch (Exception ex)
        {
            LogAuditLost(logger, ex, hub, kind, subject);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Hub {Hub}: front ends could not be told to close sessions of withdrawn credentials; those sessions end at their next connect")]
    private static partial void LogWithdrawalLost(ILogger logger, Exception exception, string hub);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Hub {Hub}: audit event {Kind} for {Subject} could not be recorded")]
    private static partial void LogAuditLost(ILogger logger, Exception exception, string hub, SecurityAuditKind kind, string subject);
}
