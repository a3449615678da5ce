using DeviceFabric.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace DeviceFabric.Api.Security;

/// <summary>Declares the right an endpoint needs.</summary>
internal static class RequireRightsExtensions
{
    /// <summary>The caller's policy must carry every one of <paramref name="rights"/>.</summary>
    public static TBuilder RequireRights<TBuilder>(this TBuilder builder, AccessRights rights)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(new RequireRightsFilter(rights, any: false));

    /// <summary>The caller's policy must carry at least one of <paramref name="rights"/>.</summary>
    public static TBuilder RequireAnyRight<TBuilder>(this TBuilder builder, AccessRights rights)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(new RequireRightsFilter(rights, any: true));
}
