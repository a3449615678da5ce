using System.Text.Json.Nodes;

namespace DeviceFabric.Query;

/// <summary>
/// Parses IoT Hub's query language once into a <see cref="DeviceQuery"/> that evaluates against twin documents. A
/// malformed query is IoT Hub's 400 (<see cref="DeviceFabricErrorCode.ArgumentInvalid"/>) naming the position and the cause.
/// </summary>
internal sealed partial class QueryParser
{
    public const int MaxLength = 8192;

    private static readonly string[] s_collections = ["devices.modules", "devices.jobs", "devices"];
    private static readonly string[] s_numericAggregates = ["SUM", "AVG", "MIN", "MAX"];
    private static readonly HashSet<string> s_functions = new(StringComparer.OrdinalIgnoreCase)
    {
        "IS_DEFINED", "IS_NULL", "IS_BOOL", "IS_NUMBER", "IS_STRING", "IS_OBJECT", "IS_ARRAY", "IS_PRIMITIVE", "STARTSWITH", "ENDSWITH", "CONTAINS",
    };

    private readonly string _text;
    private int _position;

    private QueryParser(string text) => _text = text;

    public static DeviceQuery Parse(string? query)
    {
        if (string.IsNullOrWhiteSpace(query) || query.Length > MaxLength)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, $"The query must be 1 to {MaxLength} characters.");
        }

        return new QueryParser(query).ParseQuery();
    }

    /// <summary>Parses a WHERE condition alone, as jobs and configurations give it (<c>queryCondition</c>, <c>targetCondition</c>).</summary>
    /// <remarks>Parsed on its own, so an error's position counts from the condition's first character.</remarks>
    public static QueryExpression? ParseCondition(string? condition)
    {
        if (string.IsNullOrWhiteSpace(condition) || condition.Trim() == "*")
        {
            return null;
        }

        if (condition.Length > MaxLength)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, $"A condition is at most {MaxLength} characters.");
        }

        var parser = new QueryParser(condition);
        var where = parser.ParseOr();
        parser.SkipSpace();
        return parser._position < condition.Length ? throw parser.Error($"unexpected '{condition[parser._position]}'") : where;
    }

    /// <summary>The largest TOP: a query's results are at most what one page of them may hold.</summary>
    private const int MaxTop = Registry.IDeviceRegistryGrain.MaxQueryPageSize;

    private DeviceQuery ParseQuery()
    {
        Expect("SELECT");
        int? top = null;
        if (TryKeyword("TOP"))
        {
            var start = _position;
            var n = NumberLiteral().GetValue<double>();
            if (n is < 1 or > MaxTop || Math.Floor(n) != n)
            {
                _position = start;
                throw Error($"TOP takes a whole number from 1 to {MaxTop}");
            }

            top = (int)n;
        }

        var select = ParseSelect();
        Expect("FROM");
        SkipSpace();
        var collection = s_collections.FirstOrDefault(c => _text.AsSpan(_position).StartsWith(c, StringComparison.OrdinalIgnoreCase))
            ?? throw Error("expected devices, devices.modules or devices.jobs");
        _position += collection.Length;
        var where = TryKeyword("WHERE") ? ParseOr() : null;
        IReadOnlyList<string>? groupBy = null;
        if (TryKeyword("GROUP"))
        {
            Expect("BY");
            groupBy = ParsePath();
        }

        SkipSpace();
        if (_position < _text.Length)
        {
            throw Error($"unexpected '{_text[_position]}'");
        }

        return new DeviceQuery(select, collection.ToLowerInvariant(), where, groupBy, top);
    }

    private List<SelectItem>? ParseSelect()
    {
        if (TrySymbol("*"))
        {
            return null;
        }

        var items = new List<SelectItem>();
        do
        {
            if (TryKeyword("COUNT"))
            {
                ExpectSymbol("(");
                ExpectSymbol(")");
                items.Add(new SelectItem(null, TryKeyword("AS") ? Identifier() : "count", "COUNT"));
            }
            else if (s_numericAggregates.FirstOrDefault(TryAggregate) is { } aggregate)
            {
                var path = ParsePath();
                ExpectSymbol(")");
                items.Add(new SelectItem(path, TryKeyword("AS") ? Identifier() : aggregate.ToLowerInvariant(), aggregate));
            }
            else
            {
                var path = ParsePath();
                var alias = TryKeyword("AS") ? Identifier() : char.ToLowerInvariant(path[^1][0]) + path[^1][1..];
                items.Add(new SelectItem(path, alias));
            }
        }
        while (TrySymbol(","));
        return items;
    }

    /// <summary>Consumes <c>NAME(</c> when the text goes on with that aggregate, so a property named <c>max</c> stays a path.</summary>
    private bool TryAggregate(string name)
    {
        var start = _position;
        if (TryKeyword(name) && TrySymbol("("))
        {
            return true;
        }

        _position = start;
        return false;
    }

    private QueryExpression ParseOr()
    {
        var left = ParseAnd();
        while (TryKeyword("OR"))
        {
            left = new OrExpression(left, ParseAnd());
        }

        return left;
    }

    private QueryExpression ParseAnd()
    {
        var left = ParseNot();
        while (TryKeyword("AND"))
        {
            left = new AndExpression(left, ParseNot());
        }

        return left;
    }

    private QueryExpression ParseNot()
    {
        if (TryKeyword("NOT"))
        {
            return new NotExpression(ParseNot());
        }

        if (TrySymbol("("))
        {
            var inner = ParseOr();
            ExpectSymbol(")");
            return inner;
        }

        SkipSpace();
        var start = _position;
        var word = PeekIdentifier();
        if (_ancestry is not null && string.Equals(word, "IS_OF_MODEL", StringComparison.OrdinalIgnoreCase))
        {
            _position += word!.Length;
            return ParseIsOfModel();
        }

        if (word is not null && s_functions.Contains(word))
        {
            _position += word.Length;
            ExpectSymbol("(");
            var argument = new Operand(ParsePath(), null);
            string? text = null;
            if (TrySymbol(","))
            {
                text = StringLiteral();
            }

            ExpectSymbol(")");
            var name = word.ToUpperInvariant();
            if (name is "STARTSWITH" or "ENDSWITH" or "CONTAINS" && text is null)
            {
                _position = start;
                throw Error($"{name} needs a string as its second argument");
            }

            return new FunctionCall(name, argument, text);
        }

        var left = ParseOperand();
        if (TryKeyword("IN") || TryKeyword("NIN"))
        {
            var negated = _text.AsSpan(_position - 3, 3).Equals("NIN", StringComparison.OrdinalIgnoreCase);
            return new InList(left, ParseArray(), negated);
        }

        SkipSpace();
        var op = new[] { "!=", "<>", "<=", ">=", "=", "<", ">" }.FirstOrDefault(o => _text.AsSpan(_position).StartsWith(o, StringComparison.Ordinal))
            ?? throw Error("expected a comparison operator (= != <> < <= > >=), IN or NIN");
        _position += op.Length;
        return new Comparison(left, op, ParseOperand());
    }

    private Operand ParseOperand()
    {
        SkipSpace();
        if (_position >= _text.Length)
        {
            throw Error("expected a value or a property path");
        }

        var c = _text[_position];
        if (c is '\'' or '"' || char.IsDigit(c) || c is '-' or '+' || IsKeyword("true") || IsKeyword("false") || IsKeyword("null"))
        {
            return new Operand(null, Literal());
        }

        return new Operand(ParsePath(), null);
    }

    private List<JsonNode?> ParseArray()
    {
        ExpectSymbol("[");
        var values = new List<JsonNode?>();
        if (!TrySymbol("]"))
        {
            do
            {
                values.Add(Literal());
            }
            while (TrySymbol(","));
            ExpectSymbol("]");
        }

        return values;
    }

    private List<string> ParsePath()
    {
        var path = new List<string> { Segment() };
        while (_position < _text.Length && _text[_position] == '.')
        {
            _position++;
            path.Add(Segment());
        }

        return path;
    }

    private string Segment()
    {
        SkipSpace();
        if (_text.AsSpan(_position).StartsWith("[[", StringComparison.Ordinal))
        {
            var end = _text.IndexOf("]]", _position + 2, StringComparison.Ordinal);
            if (end < 0)
            {
                throw Error("unterminated [[name]]");
            }

            var name = _text[(_position + 2)..end];
            _position = end + 2;
            return name;
        }

        return Identifier();
    }
}
