using DeviceFabric.Configurations;

namespace DeviceFabric.Tests.Configurations;

/// <summary>IoT Edge deployment contents for tests: a base manifest with one module, and a layer adding another.</summary>
internal static class EdgeManifests
{
    public static ConfigurationContent Base(string module) => Modules(new Dictionary<string, IReadOnlyDictionary<string, string>>
    {
        ["$edgeAgent"] = new Dictionary<string, string>
        {
            ["properties.desired"] = """
                {"schemaVersion":"1.1","runtime":{"type":"docker","settings":{"minDockerVersion":"v1.25"}},
                 "systemModules":{"edgeAgent":{"type":"docker","settings":{"image":"mcr.microsoft.com/azureiotedge-agent:1.4","createOptions":"{}"}},
                                  "edgeHub":{"type":"docker","status":"running","restartPolicy":"always","settings":{"image":"mcr.microsoft.com/azureiotedge-hub:1.4","createOptions":"{}"}}},
                 "modules":{"MODULE":{"version":"1.0","type":"docker","status":"running","restartPolicy":"always","settings":{"image":"example.azurecr.io/MODULE:1.0","createOptions":"{}"}}}}
                """.Replace("MODULE", module, StringComparison.Ordinal),
        },
        ["$edgeHub"] = new Dictionary<string, string>
        {
            ["properties.desired"] = """{"schemaVersion":"1.1","routes":{"upstream":"FROM /messages/* INTO $upstream"},"storeAndForwardConfiguration":{"timeToLiveSecs":7200}}""",
        },
    });

    public static ConfigurationContent Layer(string module) => Modules(new Dictionary<string, IReadOnlyDictionary<string, string>>
    {
        ["$edgeAgent"] = new Dictionary<string, string>
        {
            [$"properties.desired.modules.{module}"] = $$$"""{"type":"docker","status":"running","restartPolicy":"always","settings":{"image":"example.azurecr.io/{{{module}}}:2.0"}}""",
        },
    });

    private static ConfigurationContent Modules(Dictionary<string, IReadOnlyDictionary<string, string>> modules) =>
        new(new Dictionary<string, string>(), new Dictionary<string, string>(), modules);
}
