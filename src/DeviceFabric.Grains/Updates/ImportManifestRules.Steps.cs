using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace DeviceFabric.Updates;

/// <summary>The installation steps: inline steps that run a handler on the manifest's files, and reference steps.</summary>
internal static partial class ImportManifestRules
{
    /// <summary>The most characters of JSON a step's handler properties may take; the agent passes them whole to the handler.</summary>
    public const int MaxHandlerPropertiesChars = 4 * 1024;

    /// <summary>Members only an inline step has: a reference step installs another update and runs nothing itself.</summary>
    private static readonly string[] s_inlineMembers = ["handler", "files", "handlerProperties"];

    /// <summary><c>instructions.steps</c>: 1-10 steps, run in order.</summary>
    private static IReadOnlyList<ImportStep> ParseSteps(JsonNode? node, string path, IReadOnlyList<ImportFile> files, UpdateId self)
    {
        var instructions = RequireObject(node, path, "an object with steps");
        var stepsPath = Child(path, "steps");
        var array = RequireArray(instructions["steps"], stepsPath, 1, 10, "steps");
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            names.Add(file.FileName);
        }

        var steps = new List<ImportStep>(array.Count);
        for (var i = 0; i < array.Count; i++)
        {
            steps.Add(ParseStep(array[i], $"{stepsPath}[{i}]", names, self));
        }

        return steps;
    }

    /// <summary>One step: its type (inline when not given), then what that type needs.</summary>
    private static ImportStep ParseStep(JsonNode? node, string path, HashSet<string> fileNames, UpdateId self)
    {
        var step = RequireObject(node, path, "a step object");
        var type = step["type"] is { } typeNode ? AsString(typeNode) : InlineStep;
        if (type is not (InlineStep or ReferenceStep))
        {
            throw Invalid($"{Child(path, "type")} must be {InlineStep} or {ReferenceStep}.");
        }

        var description = OptionalString(step, "description", path, 64);
        if (type == ReferenceStep)
        {
            foreach (var member in s_inlineMembers)
            {
                if (step[member] is not null)
                {
                    throw Invalid($"{Child(path, member)} is not allowed in a {ReferenceStep} step: it installs the update its updateId names.");
                }
            }

            var updateIdPath = Child(path, "updateId");
            var referenced = ParseUpdateId(step["updateId"], updateIdPath);

            // An update installing itself would recurse on the device until the agent gives up.
            if (string.Equals(referenced.Provider, self.Provider, StringComparison.OrdinalIgnoreCase)
                && string.Equals(referenced.Name, self.Name, StringComparison.OrdinalIgnoreCase)
                && referenced.Version == self.Version)
            {
                throw Invalid($"{updateIdPath} names the update itself: a {ReferenceStep} step installs another update.");
            }

            return new ImportStep(ReferenceStep, description, null, [], null, referenced);
        }

        if (step["updateId"] is not null)
        {
            throw Invalid($"{Child(path, "updateId")} is only for {ReferenceStep} steps: add \"type\": \"{ReferenceStep}\" or remove it.");
        }

        var handler = AsString(step["handler"]);
        if (handler is null || handler.Length is < 5 or > 32 || !HandlerPattern().IsMatch(handler))
        {
            throw Expected(step["handler"], Child(path, "handler"), "a handler of 5-32 characters written vendor/name:version, such as microsoft/swupdate:1");
        }

        var files = ParseStepFiles(step["files"], Child(path, "files"), fileNames);
        var properties = ParseHandlerProperties(step["handlerProperties"], Child(path, "handlerProperties"));
        return new ImportStep(InlineStep, description, handler, files, properties, null);
    }

    /// <summary>An inline step's <c>files</c>: 1-10 names, each of a file the manifest lists, since the agent downloads only those.</summary>
    private static IReadOnlyList<string> ParseStepFiles(JsonNode? node, string path, HashSet<string> fileNames)
    {
        var array = RequireArray(node, path, 1, 10, "file names");
        var names = new List<string>(array.Count);
        for (var i = 0; i < array.Count; i++)
        {
            var itemPath = $"{path}[{i}]";
            var name = AsString(array[i]) ?? throw Invalid($"{itemPath} must be a string: the name of a file of {Child(Root, "files")}.");
            if (!fileNames.Contains(name))
            {
                throw Invalid($"{itemPath} names '{Shown(name)}', which is not a file of {Child(Root, "files")}.");
            }

            names.Add(name);
        }

        return names;
    }

    /// <summary>An inline step's <c>handlerProperties</c>: an object, kept as compact JSON text for the update manifest.</summary>
    private static string? ParseHandlerProperties(JsonNode? node, string path)
    {
        if (node is null)
        {
            return null;
        }

        var text = RequireObject(node, path, "an object the agent passes to the handler").ToJsonString();
        return text.Length <= MaxHandlerPropertiesChars
            ? text
            : throw Invalid($"{path} takes {text.Length} characters of JSON: at most {MaxHandlerPropertiesChars}.");
    }

    /// <summary>A handler or download handler id, <c>vendor/name:version</c>; <c>\z</c>, as <c>$</c> would let a final line break through.</summary>
    [GeneratedRegex(@"^\S+/\S+:[0-9]{1,5}\z", RegexOptions.CultureInvariant)]
    private static partial Regex HandlerPattern();
}
