using System.Globalization;
using System.Text.Json.Nodes;
using DeviceFabric.Updates;
using static DeviceFabric.Tests.Updates.ImportManifests;

namespace DeviceFabric.Tests.Updates;

/// <summary>
/// Device Update import manifests: a full 4.0 manifest and a 5.0 one with related files are read field by field, the
/// documented variants are accepted, and each schema rule is refused with a 400 whose message names the JSON path.
/// </summary>
public sealed class ImportManifestRulesTests
{
    private static string Refused(string json)
    {
        var error = Assert.Throws<DeviceFabricException>(() => ImportManifestRules.Parse(json, Now));
        Assert.Equal(DeviceFabricErrorCode.ArgumentInvalid, error.Code);
        return error.Message;
    }

    [Fact]
    public void Parse_FullV4Manifest_ReadsEveryField()
    {
        var manifest = ImportManifestRules.Parse(V4, Now);

        Assert.Equal(new UpdateId("Contoso", "Toaster", "1.0"), manifest.UpdateId);
        Assert.Equal("Firmware and heating element for the Contoso toaster", manifest.Description);
        Assert.True(manifest.IsDeployable);
        var compatibility = Assert.Single(manifest.Compatibility);
        Assert.Equal(["manufacturer", "model"], compatibility.Keys);
        Assert.Equal("Toaster", compatibility["model"]);
        Assert.Equal("4.0", manifest.ManifestVersion);
        Assert.Equal(new DateTimeOffset(2022, 1, 1, 12, 0, 0, TimeSpan.Zero).AddTicks(1234567), manifest.CreatedDateTime);

        Assert.Equal(2, manifest.Steps.Count);
        var inline = manifest.Steps[0];
        Assert.Equal(ImportManifestRules.InlineStep, inline.Type);
        Assert.Equal("Install the firmware", inline.Description);
        Assert.Equal("microsoft/swupdate:1", inline.Handler);
        Assert.Equal(["firmware.swu", "install.sh"], inline.Files);
        Assert.Equal("""{"installedCriteria":"1.0","arguments":"--verbose"}""", inline.HandlerPropertiesJson);
        Assert.Null(inline.ReferencedUpdate);
        var reference = manifest.Steps[1];
        Assert.Equal(ImportManifestRules.ReferenceStep, reference.Type);
        Assert.Equal("Heating element", reference.Description);
        Assert.Null(reference.Handler);
        Assert.Empty(reference.Files);
        Assert.Null(reference.HandlerPropertiesJson);
        Assert.Equal(new UpdateId("Contoso", "Toaster.HeatingElement", "1.2"), reference.ReferencedUpdate);

        Assert.Equal(2, manifest.Files.Count);
        var firmware = manifest.Files[0];
        Assert.Equal("firmware.swu", firmware.FileName);
        Assert.Equal(718L, firmware.SizeInBytes);
        Assert.Equal(FirmwareHash, firmware.Sha256Base64);
        Assert.Empty(firmware.RelatedFiles);
        Assert.Null(firmware.DownloadHandlerId);
        Assert.Null(firmware.PropertiesJson);
        Assert.Equal(("install.sh", 1024L, ScriptHash), (manifest.Files[1].FileName, manifest.Files[1].SizeInBytes, manifest.Files[1].Sha256Base64));
    }

    [Fact]
    public void Parse_V5Manifest_ReadsRelatedFilesAndDownloadHandler()
    {
        var manifest = ImportManifestRules.Parse(V5, Now);

        Assert.Equal("5.0", manifest.ManifestVersion);
        Assert.Null(manifest.Description);
        var step = Assert.Single(manifest.Steps);
        Assert.Equal(ImportManifestRules.InlineStep, step.Type);
        Assert.Equal(["full.swu"], step.Files);
        var full = Assert.Single(manifest.Files);
        Assert.Equal(("full.swu", 104857600L, FullHash), (full.FileName, full.SizeInBytes, full.Sha256Base64));
        Assert.Equal("microsoft/delta:1", full.DownloadHandlerId);
        var delta = Assert.Single(full.RelatedFiles);
        Assert.Equal(("delta-from-1.0.dat", 1048576L, DeltaHash), (delta.FileName, delta.SizeInBytes, delta.Sha256Base64));
        var properties = JsonNode.Parse(delta.PropertiesJson!);
        Assert.Equal("sha256", (string?)properties!["microsoft.sourceFileHashAlgorithm"]);
        Assert.Equal(FirmwareHash, (string?)properties["microsoft.sourceFileHash"]);
        Assert.Empty(delta.RelatedFiles);
    }

    [Fact]
    public void Parse_UpdateNotDeployable_NeedsNoCompatibility()
    {
        var manifest = ImportManifestRules.Parse(With("compatibility", null, With("isDeployable", "false")), Now);

        Assert.False(manifest.IsDeployable);
        Assert.Empty(manifest.Compatibility);
    }

    [Fact]
    public void Parse_OnlyReferenceSteps_NeedNoFiles()
    {
        var manifest = ImportManifestRules.Parse(With("files", "null", With("instructions|steps|0", """{"type":"reference","updateId":{"provider":"Contoso","name":"Toaster.Fan","version":"3.1"}}""")), Now);

        Assert.Empty(manifest.Files);
        Assert.All(manifest.Steps, step => Assert.Equal(ImportManifestRules.ReferenceStep, step.Type));
    }

    [Theory]
    [InlineData("\"01.002.0\"", "1.2.0")]
    [InlineData("\"2147483647.0.0.0\"", "2147483647.0.0.0")]
    public void Parse_Version_DropsLeadingZeros(string json, string expected)
    {
        Assert.Equal(expected, ImportManifestRules.Parse(With("updateId|version", json), Now).UpdateId.Version);
    }

    [Theory]
    [InlineData("\"2022-01-01T12:00:00+02:00\"", "2022-01-01T10:00:00Z")]
    [InlineData("\"2022-01-01T12:00:00\"", "2022-01-01T12:00:00Z")]
    [InlineData("\"2022-01-01\"", "2022-01-01T00:00:00Z")]
    [InlineData("\"2022-01-03T00:00:00Z\"", "2022-01-03T00:00:00Z")]
    public void Parse_CreatedDateTime_ReadsOffsetsAndTakesUtcWithoutOne(string json, string expected)
    {
        var created = ImportManifestRules.Parse(With("createdDateTime", json), Now).CreatedDateTime;
        Assert.Equal(DateTimeOffset.Parse(expected, CultureInfo.InvariantCulture), created);
    }

    public static TheoryData<string, string?> Accepted() => new()
    {
        { "instructions|steps|0|type", null },
        { "instructions|steps|0|handlerProperties", null },
        { "instructions|steps|0|description", null },
        { "description", null },
        { "isDeployable", null },
        { "isDeployable", "null" },
        { "unknownMember", """{"x": [1, 2]}""" },
        { "files|0|hashes|md5", "\"q6kH/C2R0iaOUYbOwM3N2w==\"" },
        { "files|0|sizeInBytes", "2147482624" },
        { "files|0|properties", """{"note": "pass-through"}""" },
        { "compatibility|0", """{"a":"1","b":"2","c":"3","d":"4","e":"5"}""" },
        { "compatibility", Repeat("""{"model":"Toaster"}""", 10) },
        { "instructions|steps|0|handler", "\"contoso/firmware-v2:65535\"" },
        { "updateId|provider", "\"Contoso.Labs-1\"" },
        { "updateId|version", "\"1.2.3.4\"" },
    };

    [Theory]
    [MemberData(nameof(Accepted))]
    public void Parse_ValidVariants_AreAccepted(string path, string? json)
    {
        ImportManifestRules.Parse(With(path, json), Now);
    }

    [Fact]
    public void Parse_FileNameSpelledAsInTheV5Documentation_IsRead()
    {
        var json = With("files|0|fileName", "\"firmware.swu\"", With("files|0|filename", null));

        Assert.Equal("firmware.swu", ImportManifestRules.Parse(json, Now).Files[0].FileName);
    }

    [Fact]
    public void Parse_OversizedDocument_IsRefusedBeforeParsing()
    {
        Assert.Equal(
            "importManifest is larger than 65536 bytes: an import manifest lists files, it does not hold them.",
            Refused(With("padding", "\"" + new string('x', 70_000) + "\"")));

        // Not JSON at all, so only a refusal before parsing can name the size.
        Assert.StartsWith("importManifest is larger than 65536 bytes", Refused(new string('[', 70_000)), StringComparison.Ordinal);

        // Counted in UTF-8: 30,000 characters of three bytes each, written raw rather than escaped.
        var wide = V4.Replace("\"isDeployable\"", "\"padding\": \"" + new string('\u20AC', 30_000) + "\", \"isDeployable\"", StringComparison.Ordinal);
        Assert.StartsWith("importManifest is larger than 65536 bytes", Refused(wide), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DeepDocument_IsRefused()
    {
        Assert.StartsWith(
            "importManifest is not valid JSON nested at most 16 levels deep",
            Refused(With("instructions|steps|0|handlerProperties", Nested(20))),
            StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[]", "importManifest must be a JSON object.")]
    [InlineData("{\"updateId\": ", "importManifest is not valid JSON")]
    [InlineData("{\"description\": \"a\", \"description\": \"b\"}", "importManifest is not valid JSON")]
    public void Parse_NotAJsonObject_IsRefused(string json, string expected)
    {
        Assert.StartsWith(expected, Refused(json), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ImportManifestRefusals.Cases), MemberType = typeof(ImportManifestRefusals))]
    public void Parse_BrokenRule_IsRefusedNamingThePath(string path, string? json, string expected)
    {
        Assert.Contains(expected, Refused(With(path, json)), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_StepNamingAnUnknownFile_NamesTheStepAndTheFiles()
    {
        Assert.Equal(
            "importManifest.instructions.steps[0].files[1] names 'missing.bin', which is not a file of importManifest.files.",
            Refused(With("instructions|steps|0|files", """["firmware.swu", "missing.bin"]""")));
    }

    [Fact]
    public void Parse_BadVersion_SaysWhatAVersionIs()
    {
        Assert.Equal(
            "importManifest.updateId.version must be 2 to 4 numbers separated by dots (1.0, 1.2.3.4).",
            Refused(With("updateId|version", "\"1\"")));
    }
}
