using System.Text.Json.Nodes;
using DeviceFabric.Configurations;

namespace DeviceFabric.Tests.Configurations;

/// <summary>
/// IoT Edge manifest validation: the documented manifest passes, each rule EdgeAgent and EdgeHub apply is refused with
/// a 400 whose message names the JSON path, and layered deployments are checked path by path.
/// </summary>
public sealed class EdgeManifestRulesTests
{
    private const string Agent = "$edgeAgent|properties.desired|";
    private const string TempSensor = Agent + "modules|tempSensor|";
    private const string Hub = "$edgeHub|properties.desired|";
    private const string AgentPath = "modulesContent.$edgeAgent['properties.desired']";
    private const string TempSensorPath = AgentPath + ".modules.tempSensor";
    private const string HubPath = "modulesContent.$edgeHub['properties.desired']";

    /// <summary>The manifest of wave2-protocol §4.1.</summary>
    private const string FullManifest = """
        {"modulesContent": {
          "$edgeAgent": {"properties.desired": {
             "schemaVersion": "1.1",
             "runtime": {"type":"docker","settings":{"minDockerVersion":"v1.25","loggingOptions":"",
                         "registryCredentials":{"myacr":{"username":"u","password":"p","address":"myacr.azurecr.io"}}}},
             "systemModules": {
               "edgeAgent": {"type":"docker","settings":{"image":"mcr.microsoft.com/azureiotedge-agent:1.4","createOptions":""}},
               "edgeHub":   {"type":"docker","status":"running","restartPolicy":"always",
                             "settings":{"image":"mcr.microsoft.com/azureiotedge-hub:1.4",
                                         "createOptions":"{\"HostConfig\":{\"PortBindings\":{\"443/tcp\":[{\"HostPort\":\"443\"}],\"5671/tcp\":[{\"HostPort\":\"5671\"}],\"8883/tcp\":[{\"HostPort\":\"8883\"}]}}}"}}},
             "modules": {
               "tempSensor": {"version":"1.0","type":"docker","status":"running","restartPolicy":"always",
                              "imagePullPolicy":"on-create","startupOrder":1,
                              "env":{"NAME":{"value":"v"}},
                              "settings":{"image":"mcr.microsoft.com/azureiotedge-simulated-temperature-sensor:1.0","createOptions":"{}"}}}}},
          "$edgeHub": {"properties.desired": {
             "schemaVersion": "1.1",
             "routes": {"r1":"FROM /messages/* INTO $upstream",
                        "r2":{"route":"FROM /messages/modules/tempSensor/outputs/* INTO BrokeredEndpoint(\"/modules/filter/inputs/input1\")","priority":0,"timeToLiveSecs":86400}},
             "storeAndForwardConfiguration": {"timeToLiveSecs": 7200}}},
          "tempSensor": {"properties.desired": {"SendInterval": 5}}
        }}
        """;

    /// <summary>A layered deployment as <c>az iot edge deployment create --layered</c> documents it.</summary>
    private const string LayeredManifest = """
        {"$edgeAgent": {"properties.desired.modules.mymodule0": {"type":"docker","status":"running","restartPolicy":"always",
                          "settings":{"image":"myacr.azurecr.io/mymodule0:1.0","createOptions":"{}"}}},
         "$edgeHub": {"properties.desired.routes.myroute0": "FROM /messages/* INTO $upstream"},
         "mymodule0": {"properties.desired.settings.interval": 10}}
        """;

    private static JsonObject Json(string text) => JsonNode.Parse(text)!.AsObject();

    private static JsonObject Manifest() => Json(FullManifest)["modulesContent"]!.AsObject();

    /// <summary>A manifest's modulesContent with the member at <paramref name="path"/> ('|'-separated) set to a JSON value, or removed when null.</summary>
    private static JsonObject With(string path, string? json, string manifest = FullManifest)
    {
        var root = Json(manifest);
        var content = root["modulesContent"] as JsonObject ?? root;
        var segments = path.Split('|');
        var parent = content;
        foreach (var segment in segments[..^1])
        {
            parent = parent[segment]!.AsObject();
        }

        if (json is null)
        {
            parent.Remove(segments[^1]);
        }
        else
        {
            parent[segments[^1]] = JsonNode.Parse(json);
        }

        return content;
    }

    private static string Refused(JsonObject content, bool layered = false)
    {
        var error = Assert.Throws<DeviceFabricException>(() => EdgeManifestRules.Validate(content, layered));
        Assert.Equal(DeviceFabricErrorCode.ArgumentInvalid, error.Code);
        return error.Message;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Validate_TheDocumentedManifest_IsAccepted(bool layered)
    {
        EdgeManifestRules.Validate(Manifest(), layered);
    }

    public static TheoryData<string, string> Accepted() => new()
    {
        { Agent + "schemaVersion", "\"1.0\"" },
        { Agent + "schemaVersion", "\"1.0.0\"" },
        { Agent + "schemaVersion", "\"1.1.0\"" },
        { Hub + "schemaVersion", "\"1.2\"" },
        { Hub + "schemaVersion", "\"1.3\"" },
        { Hub + "routes", "{}" },
        { Hub + "routes|r1", "\"FROM /* INTO $upstream\"" },
        { Hub + "routes|r1", "\"FROM /twinChangeNotifications INTO $upstream\"" },
        { Hub + "routes|r1", "\"from /messages/modules/tempSensor/* where temperature > 30 into BrokeredEndpoint(\\\"/modules/filter/inputs/input1\\\")\"" },
        { Hub + "routes|r1", "\"FROM /messages/modules/m/outputs/o WHERE $body.note = 'GO INTO' INTO $UPSTREAM\"" },
        { Hub + "routes|r2|priority", "9" },
        { Agent + "modules", "{}" },
        { Agent + "modules|my.module", """{"type":"docker","settings":{"image":"localhost:5000/team/my-module"}}""" },
        { TempSensor + "settings|image", "\"tempsensor\"" },
        { TempSensor + "settings|createOptions", "\"{\\\"Env\\\":\"" },
        { TempSensor + "startupOrder", "4294967295" },
        { TempSensor + "status", "null" },
        { TempSensor + "env|COUNT", """{"value":3}""" },
        { "tempSensor", """{"properties.desired.settings.interval": 10}""" },
        { "filter", """{"properties.desired": {"threshold": {"max": 30}}}""" },
    };

    [Theory]
    [MemberData(nameof(Accepted))]
    public void Validate_ValidVariants_AreAccepted(string path, string json)
    {
        var content = With(path, json);
        if (path.EndsWith("createOptions", StringComparison.Ordinal))
        {
            // The first half of a chunked value is accepted only with its continuation.
            content["$edgeAgent"]!["properties.desired"]!["modules"]!["tempSensor"]!["settings"]!["createOptions01"] = "[\"A=1\"]}";
        }

        EdgeManifestRules.Validate(content, layered: false);
    }

    public static TheoryData<string, string?, string> Refusals() => new()
    {
        { "$edgeHub", null, "modulesContent.$edgeHub is missing" },
        { "$edgeAgent", """{"properties.desired.modules.a":{}}""", "modulesContent.$edgeAgent must hold only 'properties.desired'" },
        { Agent + "schemaVersion", "\"2.0\"", AgentPath + ".schemaVersion" },
        { Agent + "schemaVersion", "\"1.2\"", AgentPath + ".schemaVersion" },
        { Agent + "schemaVersion", "1.1", AgentPath + ".schemaVersion" },
        { Agent + "runtime", null, AgentPath + ".runtime is missing" },
        { Agent + "runtime|type", "\"rkt\"", AgentPath + ".runtime.type" },
        { Agent + "runtime|settings|registryCredentials|myacr|password", null, AgentPath + ".runtime.settings.registryCredentials.myacr.password" },
        { Agent + "systemModules", null, AgentPath + ".systemModules is missing" },
        { Agent + "systemModules|edgeHub|status", "\"stopped\"", AgentPath + ".systemModules.edgeHub.status must be running" },
        { Agent + "systemModules|edgeHub|restartPolicy", null, AgentPath + ".systemModules.edgeHub.restartPolicy is missing" },
        { Agent + "systemModules|edgeAgent|settings|image", null, AgentPath + ".systemModules.edgeAgent.settings.image" },
        { Agent + "modules", "[]", AgentPath + ".modules" },
        { Agent + "modules|$custom", """{"type":"docker","settings":{"image":"a"}}""", AgentPath + ".modules.$custom is not a module name" },
        { Agent + "modules|my.module", """{"type":"docker","status":"paused","settings":{"image":"a"}}""", AgentPath + ".modules['my.module'].status" },
        { TempSensor + "type", null, TempSensorPath + ".type is missing" },
        { TempSensor + "settings", null, TempSensorPath + ".settings is missing" },
        { TempSensor + "settings|image", "\"\"", TempSensorPath + ".settings.image" },
        { TempSensor + "settings|image", "\"repo/\"", TempSensorPath + ".settings.image" },
        { TempSensor + "settings|image", "\"a/b:c:d\"", TempSensorPath + ".settings.image" },
        { TempSensor + "settings|createOptions", "\"{\\\"HostConfig\\\":\"", TempSensorPath + ".settings.createOptions" },
        { TempSensor + "settings|createOptions", "\"[1]\"", TempSensorPath + ".settings.createOptions" },
        { TempSensor + "settings|createOptions02", "\"}\"", TempSensorPath + ".settings.createOptions01 is missing" },
        { TempSensor + "settings|createOptions01", "{}", TempSensorPath + ".settings.createOptions01 must be a string" },
        { TempSensor + "status", "\"paused\"", TempSensorPath + ".status" },
        { TempSensor + "status", "\"Running\"", TempSensorPath + ".status" },
        { TempSensor + "restartPolicy", "\"sometimes\"", TempSensorPath + ".restartPolicy" },
        { TempSensor + "imagePullPolicy", "\"always\"", TempSensorPath + ".imagePullPolicy" },
        { TempSensor + "startupOrder", "-1", TempSensorPath + ".startupOrder" },
        { TempSensor + "startupOrder", "4294967296", TempSensorPath + ".startupOrder" },
        { TempSensor + "startupOrder", "1.5", TempSensorPath + ".startupOrder" },
        { TempSensor + "version", "1", TempSensorPath + ".version" },
        { TempSensor + "env|NAME", "\"v\"", TempSensorPath + ".env.NAME" },
        { TempSensor + "env|NAME", """{"value":{"x":1}}""", TempSensorPath + ".env.NAME" },
        { Hub + "schemaVersion", "\"1.4\"", HubPath + ".schemaVersion" },
        { Hub + "schemaVersion", "\"1.0\"", HubPath + ".routes.r2 is an object" },
        { Hub + "routes", null, HubPath + ".routes is missing" },
        { Hub + "routes|", "\"FROM /* INTO $upstream\"", HubPath + ".routes has a route with an empty name" },
        { Hub + "routes|r1", "42", HubPath + ".routes.r1" },
        { Hub + "routes|r1", "\"FROM /messages/* TO $upstream\"", HubPath + ".routes.r1 must read FROM" },
        { Hub + "routes|r1", "\"FROM /telemetry/* INTO $upstream\"", HubPath + ".routes.r1 has an unknown source" },
        { Hub + "routes|r1", "\"FROM /messages/* INTO $downstream\"", HubPath + ".routes.r1 has an unknown sink" },
        { Hub + "routes|r1", "\"FROM /messages/* INTO BrokeredEndpoint(\\\"/modules/filter/outputs/o\\\")\"", HubPath + ".routes.r1 has an unknown sink" },
        { Hub + "routes|r2|priority", "10", HubPath + ".routes.r2.priority" },
        { Hub + "routes|r2|priority", "-1", HubPath + ".routes.r2.priority" },
        { Hub + "routes|r2|timeToLiveSecs", "-5", HubPath + ".routes.r2.timeToLiveSecs" },
        { Hub + "routes|r2|route", null, HubPath + ".routes.r2.route is missing" },
        { Hub + "storeAndForwardConfiguration", null, HubPath + ".storeAndForwardConfiguration is missing" },
        { Hub + "storeAndForwardConfiguration|timeToLiveSecs", "\"7200\"", HubPath + ".storeAndForwardConfiguration.timeToLiveSecs" },
        { "tempSensor", """{"properties.reported": {"a": 1}}""", "modulesContent.tempSensor['properties.reported'] is not a twin path" },
        { "tempSensor", """{"properties.desired": 5}""", "modulesContent.tempSensor['properties.desired'] must be an object" },
        { "tempSensor", """{"properties.desired": {}, "properties.desired.a": 1}""", "modulesContent.tempSensor gives both" },
        { "tempSensor", """{"properties.desired..a": 1}""", "modulesContent.tempSensor['properties.desired..a'] has an empty segment" },
        { "bad/module id", """{"properties.desired": {}}""", "modulesContent['bad/module id'] is not a module id" },
        { "$custom", """{"properties.desired": {}}""", "modulesContent.$custom is not a module id" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void Validate_BrokenRule_IsRefusedNamingThePath(string path, string? json, string expected)
    {
        Assert.Contains(expected, Refused(With(path, json)), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_CreateOptionsAsAnObject_SaysItMustBeAString()
    {
        var message = Refused(With(TempSensor + "settings|createOptions", """{"HostConfig":{}}"""));
        Assert.Equal(
            "modulesContent.$edgeAgent['properties.desired'].modules.tempSensor.settings.createOptions must be a string of JSON (Docker create options).",
            message);
    }

    [Fact]
    public void Validate_LayeredPaths_AreAcceptedInALayeredDeployment_Only()
    {
        EdgeManifestRules.Validate(Json(LayeredManifest), layered: true);
        Assert.Contains("modulesContent.$edgeAgent must hold only", Refused(Json(LayeredManifest)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("$edgeAgent|properties.desired.modules.mymodule0|restartPolicy", "\"sometimes\"",
        "modulesContent.$edgeAgent['properties.desired.modules.mymodule0'].restartPolicy")]
    [InlineData("$edgeAgent|properties.desired.modules.mymodule0|settings|createOptions", "{}",
        "modulesContent.$edgeAgent['properties.desired.modules.mymodule0'].settings.createOptions must be a string")]
    [InlineData("$edgeAgent|properties.desired.modules.$bad", """{"type":"docker","settings":{"image":"a"}}""",
        "modulesContent.$edgeAgent['properties.desired.modules.$bad'] is not a module name")]
    [InlineData("$edgeAgent|properties.desired.systemModules.edgeHub", """{"type":"docker","status":"stopped","restartPolicy":"always","settings":{"image":"a"}}""",
        "modulesContent.$edgeAgent['properties.desired.systemModules.edgeHub'].status must be running")]
    [InlineData("$edgeHub|properties.desired.routes.myroute0", "\"FROM /messages/* INTO nowhere\"",
        "modulesContent.$edgeHub['properties.desired.routes.myroute0'] has an unknown sink")]
    [InlineData("$edgeHub|properties.desired.routes.myroute1", """{"route":"FROM /* INTO $upstream","priority":10}""",
        "modulesContent.$edgeHub['properties.desired.routes.myroute1'].priority")]
    [InlineData("$edgeHub|properties.desired.routes..x", "\"FROM /* INTO $upstream\"",
        "modulesContent.$edgeHub['properties.desired.routes..x'] has an empty segment")]
    public void Validate_LayeredPath_IsValidatedAsWhatItSets(string path, string json, string expected)
    {
        Assert.Contains(expected, Refused(With(path, json, LayeredManifest), layered: true), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("$edgeAgent|properties.desired.modules.mymodule0", "null")]
    [InlineData("$edgeAgent|properties.desired.modules.mymodule0.settings.image", "5")]
    [InlineData("$edgeAgent|properties.desired.runtime.settings.minDockerVersion", "\"v1.25\"")]
    [InlineData("$edgeHub|properties.desired.routes.myroute1", """{"route":"FROM /* INTO $upstream","priority":0}""")]
    [InlineData("$edgeHub|properties.desired.storeAndForwardConfiguration.timeToLiveSecs", "7200")]
    public void Validate_OtherLayeredPaths_AreAcceptedAsAnyJson(string path, string json)
    {
        EdgeManifestRules.Validate(With(path, json, LayeredManifest), layered: true);
    }

    [Fact]
    public void Validate_MoreThanTheCap_IsRefused()
    {
        var content = Manifest();
        for (var i = 0; i < EdgeManifestRules.MaxEntries; i++)
        {
            content[$"module{i}"] = Json("""{"properties.desired": {}}""");
        }

        Assert.StartsWith($"modulesContent holds more than {EdgeManifestRules.MaxEntries}", Refused(content), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tempSensor", true)]
    [InlineData("a-b.c+d%e_f#g*h?i!j(k)l,m:n=o@p$q'r", true)]
    [InlineData("$edgeAgent", false)]
    [InlineData("", false)]
    [InlineData("has space", false)]
    [InlineData("slash/id", false)]
    public void IsModuleId_FollowsIotHubRules(string id, bool expected)
    {
        Assert.Equal(expected, EdgeManifestRules.IsModuleId(id));
        Assert.False(EdgeManifestRules.IsModuleId(new string('a', 129)));
    }
}
