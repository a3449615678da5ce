namespace DeviceFabric.Routing;

/// <summary>A hub's routing settings (key: the hub); a write is validated whole and starts the endpoints' deliveries.</summary>
public interface IRoutingGrain : IGrainWithStringKey
{
    /// <summary>The settings.</summary>
    Task<RoutingSettings> GetAsync(CancellationToken cancellationToken = default);

    /// <summary>Replaces the settings (If-Match <paramref name="ifMatch"/> when given); a condition that does not parse is refused with its position.</summary>
    Task<RoutingSettings> PutAsync(RoutingSettings settings, string? ifMatch, CancellationToken cancellationToken = default);

    /// <summary>Makes sure every endpoint's delivery runs (each silo calls it at start-up).</summary>
    Task ResumeAsync();
}

/// <summary>
/// One endpoint's delivery from one partition (key: <c>{hub}/{endpoint}/{partition}</c>): it reads the hub's logs from
/// its own checkpoint, so an endpoint that fails or lags holds up only itself, never the device or other endpoints.
/// </summary>
public interface IRouteDeliveryGrain : IGrainWithStringKey
{
    /// <summary>Starts it, or brings it the current settings.</summary>
    Task StartAsync(RoutingSettings settings);

    /// <summary>Stops it (its endpoint was removed).</summary>
    Task StopAsync();
}
