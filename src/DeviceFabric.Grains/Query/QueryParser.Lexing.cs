using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace DeviceFabric.Query;

/// <summary>The lexical half of the parser: literals, identifiers, keywords, symbols and positioned errors.</summary>
internal sealed partial class QueryParser
{
    private JsonNode? Literal()
    {
        SkipSpace();
        if (TryKeyword("true"))
        {
            return JsonValue.Create(true);
        }

        if (TryKeyword("false"))
        {
            return JsonValue.Create(false);
        }

        if (TryKeyword("null"))
        {
            return null;
        }

        return _position < _text.Length && _text[_position] is '\'' or '"' ? JsonValue.Create(StringLiteral()) : NumberLiteral();
    }

    private JsonNode NumberLiteral()
    {
        SkipSpace();
        var start = _position;
        while (_position < _text.Length && (char.IsAsciiHexDigit(_text[_position]) || _text[_position] is '.' or '-' or '+' or 'x' or 'X' or 'e' or 'E'))
        {
            _position++;
        }

        var token = _text[start.._position];
        if (token.StartsWith("0x", StringComparison.OrdinalIgnoreCase) && long.TryParse(token[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var hex))
        {
            return JsonValue.Create((double)hex);
        }

        _position = start + token.Length;
        return double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            ? JsonValue.Create(number)
            : throw ErrorAt(start, $"'{token}' is not a number");
    }

    private string StringLiteral()
    {
        SkipSpace();
        if (_position >= _text.Length || _text[_position] is not ('\'' or '"'))
        {
            throw Error("expected a string in quotes");
        }

        var quote = _text[_position++];
        var value = new StringBuilder();
        while (_position < _text.Length && _text[_position] != quote)
        {
            var c = _text[_position++];
            if (c == '\\' && _position < _text.Length)
            {
                var escaped = _text[_position++];
                if (escaped == 'u' && _position + 4 <= _text.Length && int.TryParse(_text.AsSpan(_position, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code))
                {
                    value.Append((char)code);
                    _position += 4;
                    continue;
                }

                value.Append(escaped);
                continue;
            }

            value.Append(c);
        }

        if (_position >= _text.Length)
        {
            throw Error("unterminated string");
        }

        _position++;
        return value.ToString();
    }

    private string Identifier() =>
        PeekIdentifier() is { } word ? Advance(word) : throw Error("expected a name");

    private string? PeekIdentifier()
    {
        SkipSpace();
        var end = _position;
        while (end < _text.Length && (char.IsAsciiLetterOrDigit(_text[end]) || _text[end] is '_' or '$' or '-'))
        {
            end++;
        }

        return end > _position && !char.IsAsciiDigit(_text[_position]) ? _text[_position..end] : null;
    }

    private string Advance(string word)
    {
        _position += word.Length;
        return word;
    }

    private bool IsKeyword(string keyword) =>
        PeekIdentifier() is { } word && string.Equals(word, keyword, StringComparison.OrdinalIgnoreCase);

    private bool TryKeyword(string keyword)
    {
        if (!IsKeyword(keyword))
        {
            return false;
        }

        _position += keyword.Length;
        return true;
    }

    private void Expect(string keyword)
    {
        if (!TryKeyword(keyword))
        {
            throw Error($"expected {keyword}");
        }
    }

    private bool TrySymbol(string symbol)
    {
        SkipSpace();
        if (!_text.AsSpan(_position).StartsWith(symbol, StringComparison.Ordinal))
        {
            return false;
        }

        _position += symbol.Length;
        return true;
    }

    private void ExpectSymbol(string symbol)
    {
        if (!TrySymbol(symbol))
        {
            throw Error($"expected '{symbol}'");
        }
    }

    private void SkipSpace()
    {
        while (_position < _text.Length && char.IsWhiteSpace(_text[_position]))
        {
            _position++;
        }
    }

    private DeviceFabricException Error(string cause) => ErrorAt(_position, cause);

    private static DeviceFabricException ErrorAt(int position, string cause) =>
        new(DeviceFabricErrorCode.ArgumentInvalid, $"Query syntax error at position {position + 1}: {cause}.");
}
