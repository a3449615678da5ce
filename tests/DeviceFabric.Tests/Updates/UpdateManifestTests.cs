using System.Text.Json.Nodes;
using DeviceFabric.Updates;
using static DeviceFabric.Tests.Updates.ImportManifests;

namespace DeviceFabric.Tests.Updates;

/// <summary>
/// The update manifest a device gets for an imported update: compact JSON, the schema's major version, files keyed by
/// id under the <c>fileName</c> the agent reads, steps naming file ids, and a 5.0 file's related files by id.
/// </summary>
public sealed class UpdateManifestTests
{
    private static readonly Dictionary<string, string> s_v4Ids = new() { ["firmware.swu"] = "f0a1", ["install.sh"] = "f0b2" };

    private static readonly Dictionary<string, string> s_v5Ids = new() { ["full.swu"] = "full", ["delta-from-1.0.dat"] = "delta" };

    [Fact]
    public void UpdateManifest_V4_KeysFilesByIdUnderTheAgentsFileName()
    {
        var manifest = ImportManifestRules.Parse(V4, Now);

        var text = ImportManifestRules.UpdateManifest(manifest, s_v4Ids);

        Assert.DoesNotContain("\n", text, StringComparison.Ordinal);
        var root = JsonNode.Parse(text)!.AsObject();
        Assert.Equal("4", (string?)root["manifestVersion"]);
        Assert.Equal("""{"provider":"Contoso","name":"Toaster","version":"1.0"}""", root["updateId"]!.ToJsonString());
        Assert.Equal("""[{"manufacturer":"Contoso","model":"Toaster"}]""", root["compatibility"]!.ToJsonString());
        Assert.Equal("2022-01-01T12:00:00.1234567Z", (string?)root["createdDateTime"]);

        var files = root["files"]!.AsObject();
        Assert.Equal(["f0a1", "f0b2"], files.Select(file => file.Key));
        var firmware = files["f0a1"]!.AsObject();
        Assert.Equal("firmware.swu", (string?)firmware["fileName"]);
        Assert.False(firmware.ContainsKey("filename"));
        Assert.Equal(718L, (long)firmware["sizeInBytes"]!);
        Assert.Equal(FirmwareHash, (string?)firmware["hashes"]!["sha256"]);
        Assert.Equal("install.sh", (string?)files["f0b2"]!["fileName"]);

        var steps = root["instructions"]!["steps"]!.AsArray();
        Assert.Equal(2, steps.Count);
        Assert.Equal("microsoft/swupdate:1", (string?)steps[0]!["handler"]);
        Assert.Equal(["f0a1", "f0b2"], steps[0]!["files"]!.AsArray().Select(id => (string?)id));
        Assert.Equal("1.0", (string?)steps[0]!["handlerProperties"]!["installedCriteria"]);
        Assert.Equal("--verbose", (string?)steps[0]!["handlerProperties"]!["arguments"]);
        Assert.Equal(
            """{"type":"reference","updateId":{"provider":"Contoso","name":"Toaster.HeatingElement","version":"1.2"}}""",
            steps[1]!.ToJsonString());
    }

    [Fact]
    public void UpdateManifest_V5_GivesRelatedFilesByIdWithTheirProperties()
    {
        var manifest = ImportManifestRules.Parse(V5, Now);

        var root = JsonNode.Parse(ImportManifestRules.UpdateManifest(manifest, s_v5Ids))!;

        Assert.Equal("5", (string?)root["manifestVersion"]);
        Assert.Equal("2022-01-01T12:00:00.0000000Z", (string?)root["createdDateTime"]);
        Assert.Equal(["full"], root["files"]!.AsObject().Select(file => file.Key));
        var full = root["files"]!["full"]!;
        Assert.Equal("full.swu", (string?)full["fileName"]);
        Assert.Equal("microsoft/delta:1", (string?)full["downloadHandler"]!["id"]);
        var delta = full["relatedFiles"]!["delta"]!;
        Assert.Equal("delta-from-1.0.dat", (string?)delta["fileName"]);
        Assert.Equal(1048576L, (long)delta["sizeInBytes"]!);
        Assert.Equal(DeltaHash, (string?)delta["hashes"]!["sha256"]);
        Assert.Equal("sha256", (string?)delta["properties"]!["microsoft.sourceFileHashAlgorithm"]);
        Assert.Equal(FirmwareHash, (string?)delta["properties"]!["microsoft.sourceFileHash"]);
        Assert.Equal(["full"], root["instructions"]!["steps"]![0]!["files"]!.AsArray().Select(id => (string?)id));
    }

    [Fact]
    public void UpdateManifest_RelatedFileWithoutProperties_GetsAnEmptyObject()
    {
        // The agent refuses a related file without properties.
        var manifest = ImportManifestRules.Parse(With("files|0|relatedFiles|0|properties", null, V5), Now);

        var root = JsonNode.Parse(ImportManifestRules.UpdateManifest(manifest, s_v5Ids))!;

        Assert.Equal("{}", root["files"]!["full"]!["relatedFiles"]!["delta"]!["properties"]!.ToJsonString());
        Assert.Null(root["files"]!["full"]!["properties"]);
    }

    [Fact]
    public void UpdateManifest_FileIdsMissingOrShared_Throw()
    {
        var manifest = ImportManifestRules.Parse(V4, Now);

        Assert.Throws<ArgumentException>(() => ImportManifestRules.UpdateManifest(manifest, new Dictionary<string, string> { ["firmware.swu"] = "f0a1" }));
        Assert.Throws<ArgumentException>(() => ImportManifestRules.UpdateManifest(manifest, new Dictionary<string, string> { ["firmware.swu"] = "same", ["install.sh"] = "same" }));
    }
}
