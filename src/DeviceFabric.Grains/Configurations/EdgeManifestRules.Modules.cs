using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DeviceFabric.Modules;
using System.Text.RegularExpressions;

namespace DeviceFabric.Configurations;

/// <summary>
/// The <c>$edgeAgent</c> half of the manifest rules: its schema version, the Docker runtime, the system modules and
/// every module's shape, as EdgeAgent deserialises them.
/// </summary>
internal static partial class EdgeManifestRules
{
    /// <summary>The setting that holds Docker's create options; its continuations add two digits.</summary>
    private const string CreateOptions = "createOptions";

    /// <summary>What each registry of <c>registryCredentials</c> must give, all as strings.</summary>
    private static readonly string[] s_credentialMembers = ["username", "password", "address"];

    /// <summary>EdgeAgent refuses a higher schema, or another major, as InvalidSchemaVersion (reported 412).</summary>
    private static readonly Version s_latestEdgeAgentSchema = new(1, 1, 0);

    /// <summary>A module's <c>status</c>: what EdgeAgent keeps it at.</summary>
    private static readonly string[] s_statuses = ["running", "stopped"];

    /// <summary>A module's <c>restartPolicy</c>: when EdgeAgent restarts it.</summary>
    private static readonly string[] s_restartPolicies = ["never", "on-failure", "on-unhealthy", "always"];

    /// <summary>A module's <c>imagePullPolicy</c>: whether EdgeAgent pulls the image when it creates the container.</summary>
    private static readonly string[] s_imagePullPolicies = ["on-create", "never"];

    /// <summary>EdgeAgent's desired properties: schema version, runtime, system modules and the optional user modules.</summary>
    private static void ValidateEdgeAgent(JsonObject desired, string path)
    {
        if (!Version.TryParse(AsString(desired["schemaVersion"]), out var schema) || schema.Major != 1 || schema > s_latestEdgeAgentSchema)
        {
            throw Invalid($"{Child(path, "schemaVersion")} must be an EdgeAgent schema version: 1.0 or 1.1.");
        }

        ValidateRuntime(desired["runtime"], Child(path, "runtime"));
        var systemPath = Child(path, "systemModules");
        var system = RequireObject(desired["systemModules"], systemPath, "an object with edgeAgent and edgeHub");
        ValidateSystemModule(system["edgeAgent"], Child(systemPath, "edgeAgent"), isEdgeHub: false);
        ValidateSystemModule(system["edgeHub"], Child(systemPath, "edgeHub"), isEdgeHub: true);
        if (desired["modules"] is not { } modules)
        {
            return;
        }

        var modulesPath = Child(path, "modules");
        foreach (var (name, module) in RequireObject(modules, modulesPath, "an object of modules"))
        {
            var modulePath = Child(modulesPath, name);
            ValidateModuleName(name, modulePath);
            ValidateModule(RequireObject(module, modulePath, "a module object"), modulePath);
        }
    }

    /// <summary>The container runtime: Docker (the only one EdgeAgent has), its settings and registry credentials.</summary>
    private static void ValidateRuntime(JsonNode? node, string path)
    {
        var runtime = RequireObject(node, path, "an object with type and settings");
        RequireDocker(runtime, path);
        var settingsPath = Child(path, "settings");
        var settings = RequireObject(runtime["settings"], settingsPath, "an object of Docker runtime settings");
        OptionalString(settings, "minDockerVersion", settingsPath);
        OptionalString(settings, "loggingOptions", settingsPath);
        if (settings["registryCredentials"] is not { } credentials)
        {
            return;
        }

        var credentialsPath = Child(settingsPath, "registryCredentials");
        foreach (var (name, registry) in RequireObject(credentials, credentialsPath, "an object of registries"))
        {
            var registryPath = Child(credentialsPath, name);
            var entry = RequireObject(registry, registryPath, "an object with username, password and address");
            foreach (var member in s_credentialMembers)
            {
                if (AsString(entry[member]) is null)
                {
                    throw Expected(entry[member], Child(registryPath, member), "a string");
                }
            }
        }
    }

    /// <summary>
    /// edgeAgent or edgeHub under <c>systemModules</c>: a module like any other, and EdgeHub must also say it runs and
    /// how it restarts, as EdgeAgent never lets it stop.
    /// </summary>
    private static void ValidateSystemModule(JsonNode? node, string path, bool isEdgeHub)
    {
        var module = RequireObject(node, path, isEdgeHub ? "the edgeHub module object" : "the edgeAgent module object");
        ValidateModule(module, path);
        if (!isEdgeHub)
        {
            return;
        }

        if (AsString(module["status"]) != "running")
        {
            throw Invalid($"{Child(path, "status")} must be running: EdgeHub cannot be stopped.");
        }

        if (module["restartPolicy"] is null)
        {
            throw Expected(null, Child(path, "restartPolicy"), $"one of {string.Join(", ", s_restartPolicies)}");
        }
    }

    /// <summary>A Docker module as EdgeAgent reads it: type and settings required, the rest checked when given.</summary>
    private static void ValidateModule(JsonObject module, string path)
    {
        RequireDocker(module, path);
        var settingsPath = Child(path, "settings");
        var settings = RequireObject(module["settings"], settingsPath, "an object with an image");
        var image = AsString(settings["image"]);
        if (string.IsNullOrWhiteSpace(image) || !ImagePattern().IsMatch(image))
        {
            throw Expected(settings["image"], Child(settingsPath, "image"), "a container image name such as mcr.microsoft.com/azureiotedge-agent:1.4");
        }

        ValidateCreateOptions(settings, settingsPath);
        OptionalOneOf(module, "status", path, s_statuses);
        OptionalOneOf(module, "restartPolicy", path, s_restartPolicies);
        OptionalOneOf(module, "imagePullPolicy", path, s_imagePullPolicies);
        OptionalString(module, "version", path);
        if (module["startupOrder"] is { } order && (!TryGetInteger(order, out var position) || position is < 0 or > uint.MaxValue))
        {
            throw Invalid($"{Child(path, "startupOrder")} must be a whole number from 0 to {uint.MaxValue}.");
        }

        if (module["env"] is not { } env)
        {
            return;
        }

        var envPath = Child(path, "env");
        foreach (var (name, variable) in RequireObject(env, envPath, "an object of variables, each {\"value\": ...}"))
        {
            var variablePath = Child(envPath, name);
            if (name.Length == 0)
            {
                throw Invalid($"{envPath} has a variable with an empty name.");
            }

            if (variable is not JsonObject entry
                || entry["value"]?.GetValueKind() is not (JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False))
            {
                throw Invalid($"{variablePath} must be an object with a value (a string, number or boolean).");
            }
        }
    }

    /// <summary>
    /// Docker's create options: a string of a JSON object, which may go on in <c>createOptions01</c>,
    /// <c>createOptions02</c>... because one twin string holds at most 4 KB. EdgeAgent joins the chunks in order and
    /// fails on a gap, so the numbers must run on from <c>createOptions</c> without one.
    /// </summary>
    private static void ValidateCreateOptions(JsonObject settings, string settingsPath)
    {
        var chunks = new SortedDictionary<int, (string Name, JsonNode Value)>();
        foreach (var (name, value) in settings)
        {
            // A null chunk is no chunk, as the runtime's reader takes a null setting for an absent one.
            if (value is null || !name.StartsWith(CreateOptions, StringComparison.Ordinal))
            {
                continue;
            }

            var suffix = name.AsSpan(CreateOptions.Length);
            if (suffix.IsEmpty)
            {
                chunks[0] = (name, value);
            }
            else if (suffix.Length == 2 && char.IsAsciiDigit(suffix[0]) && char.IsAsciiDigit(suffix[1]))
            {
                chunks[((suffix[0] - '0') * 10) + (suffix[1] - '0')] = (name, value);
            }
        }

        var text = new StringBuilder();
        var expected = 0;
        foreach (var (index, chunk) in chunks)
        {
            if (index != expected)
            {
                var missing = expected == 0 ? CreateOptions : $"{CreateOptions}{expected:D2}";
                throw Invalid($"{Child(settingsPath, missing)} is missing: {chunk.Name} must follow it, with no gap in the numbers.");
            }

            text.Append(AsString(chunk.Value) ?? throw Invalid($"{Child(settingsPath, chunk.Name)} must be a string of JSON (Docker create options)."));
            expected++;
        }

        // An empty string is how manifests say "no create options"; EdgeAgent then uses Docker's defaults.
        var joined = text.ToString();
        if (string.IsNullOrWhiteSpace(joined))
        {
            return;
        }

        try
        {
            using var document = JsonDocument.Parse(joined);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                return;
            }
        }
        catch (JsonException)
        {
            // Falls through to the refusal below, which names the setting rather than the parser's position.
        }

        throw Invalid($"{Child(settingsPath, CreateOptions)} must be a string of JSON (Docker create options): its text is not a JSON object.");
    }

    /// <summary>A name under <c>modules</c>: it becomes the module's identity on the device, so IoT Hub's module id rules apply.</summary>
    private static void ValidateModuleName(string name, string path)
    {
        if (!IsModuleId(name))
        {
            throw Invalid($"{path} is not a module name: use 1-{ModuleIds.MaxLength} ASCII letters, digits or {ModuleIds.Symbols}, not starting with $.");
        }
    }

    /// <summary><c>type</c> must be <c>docker</c>, the only module and runtime type EdgeAgent has.</summary>
    private static void RequireDocker(JsonObject owner, string path)
    {
        if (AsString(owner["type"]) != "docker")
        {
            throw Expected(owner["type"], Child(path, "type"), "docker");
        }
    }

    /// <summary>A member that may be left out (or null), and must be a string when given.</summary>
    private static void OptionalString(JsonObject owner, string name, string path)
    {
        if (owner[name] is { } value && AsString(value) is null)
        {
            throw Invalid($"{Child(path, name)} must be a string.");
        }
    }

    /// <summary>A member that may be left out (or null), and must be one of <paramref name="allowed"/>, exactly, when given.</summary>
    private static void OptionalOneOf(JsonObject owner, string name, string path, string[] allowed)
    {
        if (owner[name] is { } value && (AsString(value) is not { } text || Array.IndexOf(allowed, text) < 0))
        {
            throw Invalid($"{Child(path, name)} must be one of {string.Join(", ", allowed)}.");
        }
    }

    /// <summary>An image reference as EdgeAgent parses it: optional registry and repository path, a name, an optional tag.</summary>
    [GeneratedRegex("^(?<repo>([^/]*/)*)(?<image>[^/:]+)(?<tag>:[^/:]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex ImagePattern();
}
