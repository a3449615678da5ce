using DeviceFabric.DigitalTwins;

namespace DeviceFabric.Query;

/// <summary>
/// Azure Digital Twins' query language, on the same expression parser as IoT Hub's: <c>SELECT [TOP(n)] * | COUNT() |
/// aliases | paths FROM DIGITALTWINS [alias] [JOIN alias RELATED alias.relationship [alias]]... [WHERE ...]</c>, with
/// <c>IS_OF_MODEL</c> among the functions. Conditions evaluate against a row: the twin itself when the query names no
/// alias, else an object of the aliases.
/// </summary>
internal sealed partial class QueryParser
{
    private const int MaxJoins = 5;

    /// <summary>Set while parsing a digital twins query: IS_OF_MODEL is a function, resolved through this.</summary>
    private ModelAncestry? _ancestry;

    public static TwinQuery ParseTwinQuery(string? query)
    {
        if (string.IsNullOrWhiteSpace(query) || query.Length > MaxLength)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, $"The query must be 1 to {MaxLength} characters.");
        }

        var parser = new QueryParser(query) { _ancestry = new ModelAncestry() };
        return parser.ParseTwins();
    }

    private TwinQuery ParseTwins()
    {
        Expect("SELECT");
        int? top = null;
        if (TryKeyword("TOP"))
        {
            ExpectSymbol("(");
            var n = NumberLiteral().GetValue<double>();
            if (n is < 1 or > 10_000 || Math.Floor(n) != n)
            {
                throw Error("TOP takes a whole number from 1 to 10000");
            }

            top = (int)n;
            ExpectSymbol(")");
        }

        var projection = ParseTwinProjection();
        Expect("FROM");
        Expect("DIGITALTWINS");
        if (TryKeyword("MATCH"))
        {
            var match = ParseMatch();
            var matchWhere = TryKeyword("WHERE") ? ParseOr() : null;
            SkipSpace();
            if (_position < _text.Length)
            {
                throw Error($"unexpected '{_text[_position]}'");
            }

            if (projection.Kind == TwinProjectionKind.All)
            {
                throw Error("SELECT * is for queries without MATCH: name the twins to return");
            }

            return new TwinQuery(top, projection, null, [], matchWhere, _ancestry!) { Match = match };
        }

        var root = IsKeyword("JOIN") || IsKeyword("WHERE") ? null : PeekIdentifier() is not null ? Identifier() : null;
        var joins = new List<TwinJoin>();
        while (TryKeyword("JOIN"))
        {
            if (root is null)
            {
                throw Error("a JOIN needs an alias for the FROM twins");
            }

            var alias = Identifier();
            Expect("RELATED");
            var source = Identifier();
            ExpectSymbol(".");
            var relationship = Identifier();
            var relationshipAlias = IsKeyword("WHERE") || IsKeyword("JOIN") ? null : PeekIdentifier() is not null ? Identifier() : null;
            joins.Add(new TwinJoin(alias, source, relationship, relationshipAlias));
            if (joins.Count > MaxJoins)
            {
                throw Error($"a query joins at most {MaxJoins} times");
            }
        }

        var where = TryKeyword("WHERE") ? ParseOr() : null;
        SkipSpace();
        if (_position < _text.Length)
        {
            throw Error($"unexpected '{_text[_position]}'");
        }

        // Each JOIN starts from a twin named before it; no alias names two things.
        var twinAliases = new HashSet<string>(StringComparer.Ordinal);
        var allAliases = new HashSet<string>(StringComparer.Ordinal);
        if (root is not null)
        {
            twinAliases.Add(root);
            allAliases.Add(root);
        }

        foreach (var join in joins)
        {
            if (!twinAliases.Contains(join.Source))
            {
                throw Error($"JOIN ... RELATED {join.Source}: no twin before it has that alias");
            }

            if (!allAliases.Add(join.Alias) || (join.RelationshipAlias is { } r && !allAliases.Add(r)))
            {
                throw Error($"the alias {join.Alias} names two things");
            }

            twinAliases.Add(join.Alias);
        }

        if (joins.Count > 0 && projection.Kind == TwinProjectionKind.All)
        {
            throw Error("SELECT * is for queries without JOIN: name the twins to return");
        }

        return new TwinQuery(top, projection, root, joins, where, _ancestry!);
    }

    private TwinProjectionSpec ParseTwinProjection()
    {
        if (TrySymbol("*"))
        {
            return new TwinProjectionSpec(TwinProjectionKind.All, []);
        }

        if (TryKeyword("COUNT"))
        {
            ExpectSymbol("(");
            ExpectSymbol(")");
            return new TwinProjectionSpec(TwinProjectionKind.Count, []);
        }

        var items = new List<(IReadOnlyList<string> Path, string Name)>();
        do
        {
            var path = ParsePath();
            items.Add((path, TryKeyword("AS") ? Identifier() : path[^1]));
        }
        while (TrySymbol(","));
        return new TwinProjectionSpec(TwinProjectionKind.Items, items);
    }

    /// <summary>
    /// <c>(a)-[r:contains|isIn*1..3]->(b)&lt;-[]-(c)</c>: twins in parentheses, relationships between them: names after a
    /// colon (any when none), a variable (single hops only), hops as <c>*n</c>, <c>*a..b</c> (a exclusive) or <c>*..b</c>.
    /// </summary>
    private TwinMatch ParseMatch()
    {
        var nodes = new List<string> { MatchNode() };
        var edges = new List<TwinEdge>();
        SkipSpace();
        while (_position < _text.Length && _text[_position] is '-' or '<')
        {
            var incoming = TrySymbol("<");
            ExpectSymbol("-");
            ExpectSymbol("[");
            string? variable = null;
            var names = new List<string>();
            SkipSpace();
            if (_position < _text.Length && _text[_position] is not (':' or '*' or ']'))
            {
                variable = Identifier();
            }

            if (TrySymbol(":"))
            {
                do
                {
                    names.Add(Identifier());
                }
                while (TrySymbol("|"));
            }

            var (min, max) = TrySymbol("*") ? Hops() : (1, 1);
            if (variable is not null && max > 1)
            {
                throw Error("a relationship variable names a single hop only");
            }

            ExpectSymbol("]");
            ExpectSymbol("-");
            var outgoing = TrySymbol(">");
            if (incoming && outgoing)
            {
                throw Error("a relationship points one way, or either way: <-[...]- , -[...]-> or -[...]-");
            }

            edges.Add(new TwinEdge(variable, names, incoming ? TwinEdgeDirection.In : outgoing ? TwinEdgeDirection.Out : TwinEdgeDirection.Both, min, max));
            nodes.Add(MatchNode());
            SkipSpace();
        }

        if (nodes.Distinct(StringComparer.Ordinal).Count() != nodes.Count)
        {
            throw Error("each twin of a MATCH has its own name");
        }

        return new TwinMatch(nodes, edges);
    }

    private string MatchNode()
    {
        ExpectSymbol("(");
        var name = Identifier();
        ExpectSymbol(")");
        return name;
    }

    private (int Min, int Max) Hops()
    {
        const int MaxHops = 10;
        SkipSpace();
        // Digits only: a number literal would read "1..3" as one (malformed) number.
        int? Whole()
        {
            var start = _position;
            while (_position < _text.Length && char.IsAsciiDigit(_text[_position]) && _position - start < 3)
            {
                _position++;
            }

            return _position > start ? int.Parse(_text.AsSpan(start, _position - start), System.Globalization.CultureInfo.InvariantCulture) : null;
        }

        var first = _text.AsSpan(_position).StartsWith("..", StringComparison.Ordinal) ? null : Whole();
        int min, max;
        if (_text.AsSpan(_position).StartsWith("..", StringComparison.Ordinal))
        {
            _position += 2;
            max = Whole() ?? throw Error("expected the most hops after ..");
            min = (first ?? 0) + 1;
        }
        else
        {
            min = max = first ?? throw Error("expected a number of hops after *");
        }

        return min < 1 || max > MaxHops || min > max ? throw Error($"hops are 1 to {MaxHops}") : (min, max);
    }

    /// <summary><c>IS_OF_MODEL([alias,] 'dtmi', [exact])</c>; called by the condition parser when it meets the name.</summary>
    private QueryExpression ParseIsOfModel()
    {
        ExpectSymbol("(");
        SkipSpace();
        string? alias = null;
        if (_position < _text.Length && _text[_position] is not ('\'' or '"'))
        {
            alias = Identifier();
            ExpectSymbol(",");
        }

        var model = StringLiteral();
        var exact = TrySymbol(",") && TryKeyword("exact");
        ExpectSymbol(")");
        return new IsOfModelExpression(alias, model, exact, _ancestry!);
    }
}
