using System.Text.Json.Nodes;

namespace DeviceFabric.DigitalTwins;

/// <summary>
/// Parses a batch of DTDL v2/v3 interfaces (the body of ADT's POST /models) against the models already known, all or
/// nothing: the first problem is thrown with the JSON path where it was found.
/// </summary>
internal static class DtdlParser
{
    /// <summary>
    /// Compiles every interface of <paramref name="batch"/>, which may reference each other in any order and the models
    /// <paramref name="resolve"/> knows; returns them in the batch's order.
    /// </summary>
    public static IReadOnlyList<DtdlInterface> ParseBatch(JsonArray batch, Func<string, DtdlInterface?> resolve)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(resolve);

        var headers = new List<DtdlHeader>(batch.Count);
        var byId = new Dictionary<string, DtdlHeader>(StringComparer.Ordinal);
        for (var i = 0; i < batch.Count; i++)
        {
            var header = DtdlHeader.Read(batch[i], DtdlSyntax.Item("models", i));
            var idPath = DtdlSyntax.Member(header.Path, "@id");
            if (byId.TryGetValue(header.Id, out var first))
            {
                throw DtdlErrors.At(idPath, $"'{header.Id}' is also defined by {first.Path}");
            }

            if (resolve(header.Id) is not null)
            {
                throw DtdlErrors.At(idPath, $"'{header.Id}' is already an existing model");
            }

            byId[header.Id] = header;
            headers.Add(header);
        }

        var compiler = new DtdlCompiler(byId, resolve);
        var compiled = headers.ConvertAll(compiler.Compile);

        // Only now is every interface of the batch compiled, with its inherited components, to check for nesting.
        compiler.CheckComponentsDoNotNest();
        return compiled;
    }
}
