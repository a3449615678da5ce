using System.Globalization;
using System.Text.Json.Nodes;

namespace DeviceFabric.Tests.Updates;

/// <summary>
/// Import manifests for tests: a schema 4.0 manifest with two files, an inline step and a reference step, and a schema
/// 5.0 manifest whose file has a delta as a related file. Both were written a day before <see cref="Now"/>.
/// </summary>
internal static class ImportManifests
{
    /// <summary>The time the tests parse at.</summary>
    public static readonly DateTimeOffset Now = new(2022, 1, 2, 0, 0, 0, TimeSpan.Zero);

    public const string FirmwareHash = "w79H6h9KSmBUcDE8rLOkT0pGH2jG+uqwfnN2EMtayDU=";
    public const string ScriptHash = "HhQuYnexK34REEeKJMrujwBqk0noaXDIkCA9YmYglGM=";
    public const string DeltaHash = "T0qUEP/N+JXErbiAZZ6bXA3R8joweQaENAs+qssEU5g=";
    public const string FullHash = "oYuGmy6BwMUpVSo8T6XJLtCLmKThRq7XeNcdJ1F/g6w=";

    /// <summary>Base64 of 44 characters that decodes to 31 bytes: one short of a SHA-256 hash.</summary>
    public const string ShortHash = "eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eA==";

    /// <summary>The schema 4.0 manifest, with a member the schema does not know (ignored).</summary>
    public const string V4 = $$$"""
        {
          "$schema": "https://json.schemastore.org/azure-deviceupdate-import-manifest-4.0.json",
          "updateId": {"provider": "Contoso", "name": "Toaster", "version": "1.0"},
          "description": "Firmware and heating element for the Contoso toaster",
          "isDeployable": true,
          "compatibility": [{"manufacturer": "Contoso", "model": "Toaster"}],
          "instructions": {"steps": [
            {"type": "inline", "description": "Install the firmware", "handler": "microsoft/swupdate:1",
             "files": ["firmware.swu", "install.sh"], "handlerProperties": {"installedCriteria": "1.0", "arguments": "--verbose"}},
            {"type": "reference", "description": "Heating element",
             "updateId": {"provider": "Contoso", "name": "Toaster.HeatingElement", "version": "1.2"}}
          ]},
          "files": [
            {"filename": "firmware.swu", "sizeInBytes": 718, "hashes": {"sha256": "{{{FirmwareHash}}}"}},
            {"filename": "install.sh", "sizeInBytes": 1024, "hashes": {"sha256": "{{{ScriptHash}}}"}}
          ],
          "manifestVersion": "4.0",
          "createdDateTime": "2022-01-01T12:00:00.1234567Z"
        }
        """;

    /// <summary>The schema 5.0 manifest: the full image may be produced from a delta by the delta download handler.</summary>
    public const string V5 = $$$"""
        {
          "updateId": {"provider": "Contoso", "name": "Toaster", "version": "2.0"},
          "compatibility": [{"manufacturer": "Contoso", "model": "Toaster"}],
          "instructions": {"steps": [
            {"handler": "microsoft/swupdate:2", "files": ["full.swu"], "handlerProperties": {"installedCriteria": "2.0"}}
          ]},
          "files": [
            {"filename": "full.swu", "sizeInBytes": 104857600, "hashes": {"sha256": "{{{FullHash}}}"},
             "relatedFiles": [
               {"filename": "delta-from-1.0.dat", "sizeInBytes": 1048576, "hashes": {"sha256": "{{{DeltaHash}}}"},
                "properties": {"microsoft.sourceFileHashAlgorithm": "sha256", "microsoft.sourceFileHash": "{{{FirmwareHash}}}"}}
             ],
             "downloadHandler": {"id": "microsoft/delta:1"}}
          ],
          "manifestVersion": "5.0",
          "createdDateTime": "2022-01-01T12:00:00Z"
        }
        """;

    /// <summary>
    /// A manifest with the member at <paramref name="path"/> ('|'-separated, numbers index arrays) set to a JSON value
    /// (<c>"null"</c> sets JSON null), or removed when <paramref name="json"/> is null.
    /// </summary>
    public static string With(string path, string? json, string manifest = V4)
    {
        var root = JsonNode.Parse(manifest)!;
        var segments = path.Split('|');
        var parent = root;
        foreach (var segment in segments[..^1])
        {
            parent = parent is JsonArray array ? array[Index(segment)]! : parent[segment]!;
        }

        var last = segments[^1];
        var value = json is null ? null : JsonNode.Parse(json);
        if (parent is JsonArray items)
        {
            items[Index(last)] = value;
        }
        else if (json is null)
        {
            parent.AsObject().Remove(last);
        }
        else
        {
            parent[last] = value;
        }

        return root.ToJsonString();
    }

    /// <summary>A JSON array of <paramref name="count"/> copies of <paramref name="item"/>.</summary>
    public static string Repeat(string item, int count) => "[" + string.Join(",", Enumerable.Repeat(item, count)) + "]";

    /// <summary>A JSON array of <paramref name="count"/> files named f0.bin, f1.bin...</summary>
    public static string Files(int count, string prefix = "f") => "[" + string.Join(",", Enumerable.Range(0, count).Select(i =>
        $$$"""{"filename": "{{{prefix}}}{{{i}}}.bin", "sizeInBytes": 1, "hashes": {"sha256": "{{{DeltaHash}}}"}}""")) + "]";

    /// <summary>An object nested <paramref name="depth"/> levels deep.</summary>
    public static string Nested(int depth) =>
        string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);

    private static int Index(string segment) => int.Parse(segment, CultureInfo.InvariantCulture);
}
