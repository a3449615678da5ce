using DeviceFabric.DigitalTwins;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Matching;
using Microsoft.Extensions.Options;

namespace DeviceFabric.Api.DigitalTwins;

/// <summary>Marks an endpoint as the digital twins API's, served on its own listener only.</summary>
internal sealed class DigitalTwinsEndpointMetadata
{
    public static readonly DigitalTwinsEndpointMetadata Instance = new();
}

/// <summary>
/// Keeps the two HTTPS listeners apart: on the digital twins port only the digital twins API answers (Azure Digital
/// Twins' paths at the root), and on the hub's port it does not, so IoT Hub's own <c>/digitaltwins/{id}</c> and ADT's
/// never meet. Decided by the port the connection came in on, not by the Host header a client chose.
/// </summary>
internal sealed class DigitalTwinsListenerPolicy(IOptions<DigitalTwinOptions> options) : MatcherPolicy, IEndpointSelectorPolicy
{
    public override int Order => 0;

    public bool AppliesToEndpoints(IReadOnlyList<Endpoint> endpoints) => options.Value.HttpsPort != 0;

    public Task ApplyAsync(HttpContext httpContext, CandidateSet candidates)
    {
        var onTwinsPort = httpContext.Connection.LocalPort == options.Value.HttpsPort;
        for (var i = 0; i < candidates.Count; i++)
        {
            var isTwins = candidates[i].Endpoint.Metadata.GetMetadata<DigitalTwinsEndpointMetadata>() is not null;
            if (isTwins != onTwinsPort)
            {
                candidates.SetValidity(i, false);
            }
        }

        return Task.CompletedTask;
    }
}
