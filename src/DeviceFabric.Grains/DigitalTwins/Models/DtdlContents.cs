using System.Text.Json.Nodes;

namespace DeviceFabric.DigitalTwins;

/// <summary>An interface's own <c>contents</c>, read and checked, before the inherited members join them.</summary>
internal sealed class DtdlContents
{
    public Dictionary<string, DtdlProperty> Properties { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, DtdlRelationship> Relationships { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, string> Components { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, DtdlSchema> Telemetry { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, DtdlCommand> Commands { get; } = new(StringComparer.Ordinal);

    /// <summary>Every own name with the path of its <c>name</c> member, in document order.</summary>
    public List<(string Name, string Path)> Names { get; } = [];

    /// <summary>Every component's interface with the path of its <c>schema</c>, to check none of them nests components.</summary>
    public List<(string Id, string Path)> ComponentSchemas { get; } = [];

    /// <summary>
    /// Reads <paramref name="header"/>'s contents; <paramref name="interfaceExists"/> tells whether a relationship
    /// target or component schema is in the batch or already known.
    /// </summary>
    public static DtdlContents Read(DtdlHeader header, DtdlSchemaReader schemas, Func<string, bool> interfaceExists)
    {
        var read = new DtdlContents();
        var at = DtdlSyntax.Member(header.Path, "contents");
        var node = header.Node["contents"];
        if (node is null)
        {
            return read;
        }

        if (node is not JsonArray contents)
        {
            throw DtdlErrors.At(at, "must be an array");
        }

        for (var i = 0; i < contents.Count; i++)
        {
            var path = DtdlSyntax.Item(at, i);
            if (contents[i] is not JsonObject element)
            {
                throw DtdlErrors.At(path, "must be an object");
            }

            var kind = ElementType(element, path, header);
            var name = DtdlSyntax.ReadName(element, path, header.Version);
            var namePath = DtdlSyntax.Member(path, "name");
            if (read.Names.Exists(n => n.Name == name))
            {
                throw DtdlErrors.At(namePath, $"the interface already has a member named '{name}'");
            }

            read.Names.Add((name, namePath));
            switch (kind)
            {
                case "Property":
                    read.Properties[name] = ReadProperty(element, path, name, schemas);
                    break;
                case "Telemetry":
                    read.Telemetry[name] = schemas.Read(element["schema"], DtdlSyntax.Member(path, "schema"), inProperty: false);
                    break;
                case "Command":
                    read.Commands[name] = new DtdlCommand(name, ReadPayload(element, "request", path, header.Version, schemas),
                        ReadPayload(element, "response", path, header.Version, schemas));
                    break;
                case "Relationship":
                    read.Relationships[name] = ReadRelationship(element, path, name, header, schemas, interfaceExists);
                    break;
                default:
                    var schemaPath = DtdlSyntax.Member(path, "schema");
                    read.Components[name] = InterfaceReference(element["schema"], schemaPath, interfaceExists, "a component's schema");
                    read.ComponentSchemas.Add((read.Components[name], schemaPath));
                    break;
            }
        }

        return read;
    }

    /// <summary>The one element type among an element's types; any other type is a semantic (co-)type.</summary>
    private static string ElementType(JsonObject element, string path, DtdlHeader header)
    {
        var typePath = DtdlSyntax.Member(path, "@type");
        var types = DtdlSyntax.ReadTypes(element["@type"], typePath);
        var kinds = types.Where(t => DtdlSyntax.ContentTypes.Contains(t, StringComparer.Ordinal)).ToList();
        if (kinds.Count != 1)
        {
            throw DtdlErrors.At(typePath, kinds.Count == 0
                ? "must be one of Property, Telemetry, Command, Relationship or Component"
                : "must hold exactly one of Property, Telemetry, Command, Relationship or Component");
        }

        // DTDL v2's context carries the semantic types (Temperature...); v3 moved them to extension contexts.
        if (types.Count > 1 && header.Version >= 3 && !header.HasExtensions)
        {
            var coType = types.First(t => t != kinds[0]);
            throw DtdlErrors.At(typePath,
                $"'{coType}' is not a DTDL v3 type; semantic types need an extension context such as dtmi:dtdl:extension:quantitativeTypes;1 in @context");
        }

        return kinds[0];
    }

    private static DtdlProperty ReadProperty(JsonObject element, string path, string name, DtdlSchemaReader schemas) =>
        new(name, schemas.Read(element["schema"], DtdlSyntax.Member(path, "schema"), inProperty: true),
            DtdlSyntax.ReadBool(element, "writable", path) ?? false);

    private static DtdlSchema? ReadPayload(JsonObject element, string key, string path, int version, DtdlSchemaReader schemas)
    {
        var at = DtdlSyntax.Member(path, key);
        switch (element[key])
        {
            case null:
                return null;
            case JsonObject payload:
                DtdlSyntax.ReadName(payload, at, version);
                return schemas.Read(payload["schema"], DtdlSyntax.Member(at, "schema"), inProperty: false);
            default:
                throw DtdlErrors.At(at, "must be an object with a name and a schema");
        }
    }

    private static DtdlRelationship ReadRelationship(
        JsonObject element, string path, string name, DtdlHeader header, DtdlSchemaReader schemas, Func<string, bool> interfaceExists)
    {
        var target = element["target"] is { } targetNode
            ? InterfaceReference(targetNode, DtdlSyntax.Member(path, "target"), interfaceExists, "a relationship's target")
            : null;
        var max = DtdlSyntax.ReadInt(element, "maxMultiplicity", path);
        if (max < 1)
        {
            throw DtdlErrors.At(DtdlSyntax.Member(path, "maxMultiplicity"), "must be at least 1");
        }

        var min = DtdlSyntax.ReadInt(element, "minMultiplicity", path) ?? 0;
        if (header.Version < 3 ? min != 0 : min < 0 || min > max)
        {
            throw DtdlErrors.At(DtdlSyntax.Member(path, "minMultiplicity"), header.Version < 3
                ? "must be 0 in DTDL v2"
                : "must be between 0 and maxMultiplicity");
        }

        var properties = new Dictionary<string, DtdlProperty>(StringComparer.Ordinal);
        var at = DtdlSyntax.Member(path, "properties");
        switch (element["properties"])
        {
            case null:
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    var propertyPath = DtdlSyntax.Item(at, i);
                    if (array[i] is not JsonObject property)
                    {
                        throw DtdlErrors.At(propertyPath, "must be a Property object");
                    }

                    var typePath = DtdlSyntax.Member(propertyPath, "@type");
                    if (!DtdlSyntax.ReadTypes(property["@type"], typePath).Contains("Property", StringComparer.Ordinal))
                    {
                        throw DtdlErrors.At(typePath, "a relationship's properties must be of @type Property");
                    }

                    var propertyName = DtdlSyntax.ReadName(property, propertyPath, header.Version);
                    if (properties.ContainsKey(propertyName))
                    {
                        throw DtdlErrors.At(DtdlSyntax.Member(propertyPath, "name"), $"the relationship already has a property '{propertyName}'");
                    }

                    properties[propertyName] = ReadProperty(property, propertyPath, propertyName, schemas);
                }

                break;
            default:
                throw DtdlErrors.At(at, "must be an array of Property objects");
        }

        return new DtdlRelationship(name, target, max, min, properties, DtdlSyntax.ReadBool(element, "writable", path) ?? false);
    }

    private static string InterfaceReference(JsonNode? node, string path, Func<string, bool> interfaceExists, string what)
    {
        if (node is JsonObject)
        {
            throw DtdlErrors.At(path, $"{what} must be an interface DTMI, not an inline definition");
        }

        var id = DtdlSyntax.AsString(node)
            ?? throw DtdlErrors.At(path, node is null ? "is required" : $"{what} must be an interface DTMI");
        if (!DtdlSyntax.IsDtmi(id, 3))
        {
            throw DtdlErrors.At(path, $"'{id}' is not a valid DTMI");
        }

        return interfaceExists(id) ? id : throw DtdlErrors.At(path, $"'{id}' is neither in the batch nor an existing model");
    }
}
