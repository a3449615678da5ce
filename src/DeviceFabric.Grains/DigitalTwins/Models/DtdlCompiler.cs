using System.Text.Encodings.Web;
using System.Text.Json;

namespace DeviceFabric.DigitalTwins;

/// <summary>
/// Compiles the interfaces of one batch, each after the ones it extends (depth first, so the batch's order does not
/// matter), flattening inherited members and refusing cycles, deep chains and names defined twice.
/// </summary>
internal sealed class DtdlCompiler(IReadOnlyDictionary<string, DtdlHeader> batch, Func<string, DtdlInterface?> resolve)
{
    private const int MaxExtendsDepth = 10;

    // Keeps the interface's text as given: the default encoder would turn non-ASCII display names into \u escapes.
    private static readonly JsonSerializerOptions s_compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly Dictionary<string, DtdlInterface> _compiled = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _depths = new(StringComparer.Ordinal);
    private readonly List<string> _compiling = [];
    private readonly List<(string Id, string Path)> _componentSchemas = [];

    public DtdlInterface Compile(DtdlHeader header)
    {
        if (_compiled.TryGetValue(header.Id, out var done))
        {
            return done;
        }

        _compiling.Add(header.Id);
        var parents = new List<DtdlInterface>(header.Extends.Count);
        foreach (var (parentId, path) in header.Extends)
        {
            parents.Add(Extended(parentId, path));
        }

        _compiling.RemoveAt(_compiling.Count - 1);

        var depth = parents.Count == 0 ? 0 : 1 + parents.Max(p => Depth(p));
        if (depth > MaxExtendsDepth)
        {
            throw DtdlErrors.At(DtdlSyntax.Member(header.Path, "extends"),
                $"the extends chain is {depth} levels deep; at most {MaxExtendsDepth} are allowed");
        }

        var ancestors = new List<string>();
        foreach (var parent in parents)
        {
            foreach (var ancestor in parent.Ancestors.Prepend(parent.Id).Where(a => !ancestors.Contains(a, StringComparer.Ordinal)))
            {
                ancestors.Add(ancestor);
            }
        }

        var schemas = DtdlSchemaReader.ForInterface(header.Node, header.Path, header.Version);
        var own = DtdlContents.Read(header, schemas, Exists);
        var model = Flatten(header, parents, own, ancestors);
        _compiled[header.Id] = model;
        _depths[header.Id] = depth;
        _componentSchemas.AddRange(own.ComponentSchemas);
        return model;
    }

    /// <summary>DTDL v2 and ADT refuse an interface used as a component that has components itself.</summary>
    public void CheckComponentsDoNotNest()
    {
        foreach (var (id, path) in _componentSchemas)
        {
            if (Find(id) is { Components.Count: > 0 } component)
            {
                throw DtdlErrors.At(path,
                    $"'{id}' has components itself ({string.Join(", ", component.Components.Keys)}); components cannot nest");
            }
        }
    }

    private DtdlInterface Flatten(DtdlHeader header, List<DtdlInterface> parents, DtdlContents own, List<string> ancestors)
    {
        var properties = new Dictionary<string, DtdlProperty>(StringComparer.Ordinal);
        var relationships = new Dictionary<string, DtdlRelationship>(StringComparer.Ordinal);
        var components = new Dictionary<string, string>(StringComparer.Ordinal);
        var telemetry = new Dictionary<string, DtdlSchema>(StringComparer.Ordinal);
        var commands = new Dictionary<string, DtdlCommand>(StringComparer.Ordinal);

        // Name -> the interface that declares it, so a member reached through two parents (a diamond) is one member.
        var origins = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < parents.Count; i++)
        {
            var parent = parents[i];
            foreach (var name in Names(parent))
            {
                var origin = Origin(parent, name);
                if (origins.TryGetValue(name, out var existing))
                {
                    if (existing != origin)
                    {
                        throw DtdlErrors.At(header.Extends[i].Path, $"'{name}' is inherited from both {existing} and {origin}");
                    }

                    continue;
                }

                origins[name] = origin;
                Copy(parent.Properties, properties, name);
                Copy(parent.Relationships, relationships, name);
                Copy(parent.Components, components, name);
                Copy(parent.Telemetry, telemetry, name);
                Copy(parent.Commands, commands, name);
            }
        }

        foreach (var (name, path) in own.Names)
        {
            if (origins.TryGetValue(name, out var origin))
            {
                throw DtdlErrors.At(path, $"'{name}' is already defined by {origin}, which this interface extends");
            }
        }

        CopyAll(own.Properties, properties);
        CopyAll(own.Relationships, relationships);
        CopyAll(own.Components, components);
        CopyAll(own.Telemetry, telemetry);
        CopyAll(own.Commands, commands);

        var extends = header.Extends.Select(e => e.Id).ToList();
        var dependencies = extends.Concat(own.Components.Values).Distinct(StringComparer.Ordinal).ToList();
        return new DtdlInterface(
            header.Id,
            header.Version,
            DtdlSyntax.ReadLocalized(header.Node, "displayName", header.Path),
            DtdlSyntax.ReadLocalized(header.Node, "description", header.Path),
            extends,
            ancestors,
            properties,
            relationships,
            components,
            telemetry,
            commands,
            dependencies,
            header.Node.ToJsonString(s_compact));
    }

    /// <summary>An interface a batch member extends: compiled first if it is in the batch, else a known model.</summary>
    private DtdlInterface Extended(string id, string path)
    {
        var cycleStart = _compiling.IndexOf(id);
        if (cycleStart >= 0)
        {
            var cycle = _compiling.Skip(cycleStart).Append(id);
            throw DtdlErrors.At(path, $"extends forms a cycle: {string.Join(" -> ", cycle)}");
        }

        if (_compiled.TryGetValue(id, out var compiled))
        {
            return compiled;
        }

        if (batch.TryGetValue(id, out var header))
        {
            return Compile(header);
        }

        return resolve(id) ?? throw DtdlErrors.At(path, $"'{id}' is neither in the batch nor an existing model");
    }

    private bool Exists(string id) => batch.ContainsKey(id) || resolve(id) is not null;

    private DtdlInterface? Find(string id) => _compiled.TryGetValue(id, out var model) ? model : resolve(id);

    private int Depth(DtdlInterface model)
    {
        if (_depths.TryGetValue(model.Id, out var depth))
        {
            return depth;
        }

        // A known model was checked when it was stored; its depth is recomputed once from what it extends.
        depth = 0;
        foreach (var parentId in model.Extends)
        {
            if (Find(parentId) is { } parent)
            {
                depth = Math.Max(depth, 1 + Depth(parent));
            }
        }

        _depths[model.Id] = depth;
        return depth;
    }

    /// <summary>The interface among <paramref name="model"/> and its ancestors that declares <paramref name="name"/>.</summary>
    private string Origin(DtdlInterface model, string name)
    {
        foreach (var parentId in model.Extends)
        {
            if (Find(parentId) is { } parent && Names(parent).Contains(name, StringComparer.Ordinal))
            {
                return Origin(parent, name);
            }
        }

        return model.Id;
    }

    private static IEnumerable<string> Names(DtdlInterface model) =>
        model.Properties.Keys.Concat(model.Relationships.Keys).Concat(model.Components.Keys)
            .Concat(model.Telemetry.Keys).Concat(model.Commands.Keys);

    private static void Copy<T>(IReadOnlyDictionary<string, T> from, Dictionary<string, T> to, string name)
    {
        if (from.TryGetValue(name, out var value))
        {
            to[name] = value;
        }
    }

    private static void CopyAll<T>(Dictionary<string, T> from, Dictionary<string, T> to)
    {
        foreach (var (name, value) in from)
        {
            to[name] = value;
        }
    }
}
