using DeviceFabric.Portal.Components;
using DeviceFabric.Portal.Hosting;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.FluentUI.AspNetCore.Components;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Registers and maps the operators' web portal (Blazor, server-rendered and interactive, under <c>/portal</c>).</summary>
public static class PortalExtensions
{
    /// <summary>Adds the portal's services; <paramref name="backend"/> says how it reaches the node's REST API.</summary>
    public static IServiceCollection AddDeviceFabricPortal(this IServiceCollection services, Func<IServiceProvider, PortalBackend> backend)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
        // Sign-ins live as long as the browser's circuit: keys that protect them (antiforgery, session storage) need
        // not outlive the process, so none are written to disk.
        services.AddDataProtection().UseEphemeralDataProtectionProvider();
        services.AddFluentUIComponents();
        services.AddSingleton(backend);
        services.AddScoped<PortalSession>();
        return services;
    }

    /// <summary>Maps the portal at <c>/portal</c>, and <c>/</c> to it.</summary>
    public static WebApplication MapDeviceFabricPortal(this WebApplication app)
    {
        app.UseAntiforgery();
        PortalStaticAssets.Map(app);
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        app.MapGet("/", () => Results.Redirect("/portal")).ExcludeFromDescription();
        return app;
    }
}
