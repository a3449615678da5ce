using DeviceFabric.RestClient;

namespace DeviceFabric.Portal.Hosting;

/// <summary>What a page shows when a call fails: IoT Hub's error code (or the portal's own) and the message.</summary>
public sealed record PortalError(string Code, string Message)
{
    /// <summary>Runs <paramref name="call"/>; a refusal or an unreachable node becomes the error to show.</summary>
    public static async Task<PortalError?> TryAsync(Func<Task> call)
    {
        try
        {
            await call();
            return null;
        }
        catch (FabricRestException e)
        {
            return new PortalError(e.ErrorCode, e.Message);
        }
        catch (HttpRequestException e)
        {
            return new PortalError("NodeUnreachable", e.Message);
        }
        catch (System.Text.Json.JsonException e)
        {
            return new PortalError("InvalidJson", e.Message);
        }
    }
}
