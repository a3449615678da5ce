using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.StaticWebAssets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.FileProviders;

namespace DeviceFabric.Portal.Hosting;

/// <summary>
/// Where the portal's files (its own, Fluent UI's) are described. An application built by the Web SDK (the node's
/// executable) has its own manifests, naming every library's files; a host that is not (the tests' process, which
/// builds the node through the same code) has none, so the portal's own manifests, copied beside every consumer, are
/// used instead: the files are then served from where the build left them.
/// </summary>
internal static class PortalStaticAssets
{
    private const string EndpointsSuffix = ".staticwebassets.endpoints.json";
    private const string RuntimeSuffix = ".staticwebassets.runtime.json";

    public static void Map(WebApplication app)
    {
        var environment = app.Environment;
        var own = Path.Combine(environment.ContentRootPath, environment.ApplicationName + EndpointsSuffix);
        if (File.Exists(own) || FindConsumerManifest() is not { } manifest)
        {
            app.MapStaticAssets();
            return;
        }

        var runtime = manifest[..^EndpointsSuffix.Length] + RuntimeSuffix;
        if (File.Exists(runtime))
        {
            // The development manifest maps each file to the build's output or the package cache.
            var settings = new ConfigurationBuilder()
                .AddInMemoryCollection(new Dictionary<string, string?> { ["staticWebAssets"] = runtime })
                .Build();
            StaticWebAssetsLoader.UseStaticWebAssets(environment, settings);
        }

        var consumer = Path.GetFileName(manifest)[..^EndpointsSuffix.Length];
        environment.WebRootFileProvider = new CompositeFileProvider(
            new AliasFileProvider(environment.WebRootFileProvider, environment.ApplicationName + ".modules.json", consumer + ".modules.json"),
            environment.WebRootFileProvider);

        app.MapStaticAssets(manifest);
    }

    /// <summary>The manifest of the web application beside this one that serves the portal (the node's).</summary>
    private static string? FindConsumerManifest() =>
        Directory.EnumerateFiles(AppContext.BaseDirectory, "*" + EndpointsSuffix)
            .Where(path => !Path.GetFileName(path).StartsWith("DeviceFabric.Portal.", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .FirstOrDefault(path => File.ReadAllText(path).Contains("_content/DeviceFabric.Portal/", StringComparison.Ordinal));
}
