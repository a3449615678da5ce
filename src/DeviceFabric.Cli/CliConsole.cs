using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;

namespace DeviceFabric.Cli;

/// <summary>
/// Where a command's output goes: results on standard output (JSON by default, tables with <c>--output table</c>),
/// progress and errors on standard error, so a script can pipe the JSON while a person still sees the bars.
/// </summary>
internal sealed class CliConsole(TextWriter output, TextWriter error)
{
    private static readonly JsonSerializerOptions s_indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The process's own console.</summary>
    public static CliConsole System { get; } = new(global::System.Console.Out, global::System.Console.Error);

    /// <summary>Standard output, for results.</summary>
    public TextWriter Output { get; } = output;

    /// <summary>Standard error, for progress and errors.</summary>
    public TextWriter Error { get; } = error;

    /// <summary>Spectre's console on standard error: progress bars and status lines that stay out of piped results.</summary>
    public IAnsiConsole Status { get; } = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(error) });

    /// <summary>Prints <paramref name="result"/> as JSON, or as a table of <paramref name="columns"/> (an array's items or the one object).</summary>
    public void Write(JsonNode? result, OutputFormat format, params CliColumn[] columns)
    {
        if (format == OutputFormat.Table && columns.Length > 0)
        {
            WriteTable(result is JsonArray items ? items : [result?.DeepClone()], columns);
            return;
        }

        Output.WriteLine(result is null ? "null" : result.ToJsonString(s_indented));
    }

    /// <summary>Prints one line of text as it is (connection strings, tokens).</summary>
    public void WriteLine(string text) => Output.WriteLine(text);

    /// <summary>Prints a refusal: IoT Hub's error code and the node's message.</summary>
    public void Refused(string code, string message) => Error.WriteLine($"error: {code}: {message}");

    private void WriteTable(JsonArray rows, CliColumn[] columns)
    {
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var column in columns)
        {
            table.AddColumn(new TableColumn(Markup.Escape(column.Header)));
        }

        foreach (var row in rows)
        {
            table.AddRow([.. columns.Select(c => (Spectre.Console.Rendering.IRenderable)new Text(c.Value(row) ?? string.Empty))]);
        }

        // Tables go to standard output too, at a fixed width when it is not a terminal (a pipe or a test).
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Output), Ansi = AnsiSupport.No, Interactive = InteractionSupport.No });
        if (global::System.Console.IsOutputRedirected)
        {
            console.Profile.Width = 200;
        }

        console.Write(table);
    }
}

/// <summary>A table column: its header and how a row's JSON gives its text.</summary>
internal sealed record CliColumn(string Header, Func<JsonNode?, string?> Value)
{
    /// <summary>A column showing the value at a dotted <paramref name="path"/> (<c>authentication.type</c>).</summary>
    public static CliColumn At(string header, string path) => new(header, row => CliJson.At(row, path));
}
