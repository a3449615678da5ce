using static DeviceFabric.Tests.Updates.ImportManifests;

namespace DeviceFabric.Tests.Updates;

/// <summary>
/// Broken import manifests: a change to the 4.0 manifest (a '|'-separated path set to a JSON value, or removed when
/// null) and what the refusal's message must hold, beginning with the JSON path it names.
/// </summary>
public static class ImportManifestRefusals
{
    private const string Step0 = "importManifest.instructions.steps[0]";
    private const string Step1 = "importManifest.instructions.steps[1]";
    private const string File0 = "importManifest.files[0]";

    private const string HeatingElement = """{"provider": "Contoso", "name": "Toaster.HeatingElement", "version": "1.2"}""";

    private const string Delta = $$$"""{"filename": "delta.dat", "sizeInBytes": 10, "hashes": {"sha256": "{{{DeltaHash}}}"}}""";

    public static TheoryData<string, string?, string> Cases() => new()
    {
        // The update identity.
        { "updateId", null, "importManifest.updateId is missing" },
        { "updateId", "\"Contoso/Toaster/1.0\"", "importManifest.updateId must be an object" },
        { "updateId|version", "\"1.2.3.4.5\"", "importManifest.updateId.version must be 2 to 4 numbers" },
        { "updateId|version", "\"1.0-beta\"", "importManifest.updateId.version must be 2 to 4 numbers" },
        { "updateId|version", "\"1.0\\n\"", "importManifest.updateId.version must be 2 to 4 numbers" },
        { "updateId|version", "\"\\u0661.\\u0662\"", "importManifest.updateId.version must be 2 to 4 numbers" },
        { "updateId|version", "1.0", "importManifest.updateId.version must be 2 to 4 numbers" },
        { "updateId|version", "\"1.2147483648\"", "importManifest.updateId.version has a number over 2147483647" },
        { "updateId|provider", "\"Con toso\"", "importManifest.updateId.provider must be 1-64 ASCII letters, digits, dots or hyphens" },
        { "updateId|provider", "\"Contoso_Labs\"", "importManifest.updateId.provider must be" },
        { "updateId|provider", "\"\"", "importManifest.updateId.provider must be" },
        { "updateId|name", "\"" + new string('a', 65) + "\"", "importManifest.updateId.name must be" },
        { "updateId|name", null, "importManifest.updateId.name is missing" },

        // Description, deployability and compatibility.
        { "description", "\"\"", "importManifest.description must be a string of 1-512 characters" },
        { "description", "\"" + new string('d', 513) + "\"", "importManifest.description must be" },
        { "isDeployable", "\"yes\"", "importManifest.isDeployable must be true or false" },
        { "compatibility", null, "importManifest.compatibility is missing: a deployable update" },
        { "compatibility", "[]", "importManifest.compatibility has 0 sets of device properties: give 1 to 10" },
        { "compatibility", Repeat("""{"model": "Toaster"}""", 11), "importManifest.compatibility has 11 sets" },
        { "compatibility", """{"model": "Toaster"}""", "importManifest.compatibility must be an array" },
        { "compatibility|0", """{"a":"1","b":"2","c":"3","d":"4","e":"5","f":"6"}""", "importManifest.compatibility[0] has 6 properties: give 1 to 5" },
        { "compatibility|0", "{}", "importManifest.compatibility[0] has 0 properties" },
        { "compatibility|0", "\"Contoso\"", "importManifest.compatibility[0] must be an object" },
        { "compatibility|0|model", "5", "importManifest.compatibility[0].model must be a string of 1-64 characters" },
        { "compatibility|0|model", "\"\"", "importManifest.compatibility[0].model must be" },
        { "compatibility|0|model", "\"" + new string('m', 65) + "\"", "importManifest.compatibility[0].model must be" },
        { "compatibility|0|" + new string('n', 33), "\"x\"", "importManifest.compatibility[0]." + new string('n', 33) + " has a name of 33 characters" },

        // Steps.
        { "instructions", null, "importManifest.instructions is missing" },
        { "instructions|steps", "[]", "importManifest.instructions.steps has 0 steps: give 1 to 10" },
        { "instructions|steps", Repeat("""{"handler": "microsoft/script:1", "files": ["install.sh"]}""", 11), "importManifest.instructions.steps has 11 steps" },
        { "instructions|steps|0", "\"install\"", Step0 + " must be a step object" },
        { "instructions|steps|0|type", "\"script\"", Step0 + ".type must be inline or reference" },
        { "instructions|steps|0|type", "\"Inline\"", Step0 + ".type must be inline or reference" },
        { "instructions|steps|0|description", "\"" + new string('s', 65) + "\"", Step0 + ".description must be a string of 1-64 characters" },
        { "instructions|steps|0|handler", null, Step0 + ".handler is missing" },
        { "instructions|steps|0|handler", "\"swupdate\"", Step0 + ".handler must be a handler" },
        { "instructions|steps|0|handler", "\"microsoft/swupdate:123456\"", Step0 + ".handler must be a handler" },
        { "instructions|steps|0|handler", "\"microsoft/swupdate:v1\"", Step0 + ".handler must be a handler" },
        { "instructions|steps|0|handler", "\"contoso/a-very-long-handler-name:1\"", Step0 + ".handler must be a handler" },
        { "instructions|steps|0|files", null, Step0 + ".files is missing" },
        { "instructions|steps|0|files", "[]", Step0 + ".files has 0 file names: give 1 to 10" },
        { "instructions|steps|0|files", "[\"firmware.swu\", \"missing.bin\"]", Step0 + ".files[1] names 'missing.bin', which is not a file of importManifest.files" },
        { "instructions|steps|0|files", "[42]", Step0 + ".files[0] must be a string" },
        { "instructions|steps|0|handlerProperties", "[\"--verbose\"]", Step0 + ".handlerProperties must be an object" },
        { "instructions|steps|0|handlerProperties", "{\"script\": \"" + new string('x', 5000) + "\"}", Step0 + ".handlerProperties takes" },
        { "instructions|steps|0|updateId", HeatingElement, Step0 + ".updateId is only for reference steps" },
        { "instructions|steps|1|updateId", null, Step1 + ".updateId is missing" },
        { "instructions|steps|1|updateId|version", "\"1\"", Step1 + ".updateId.version must be 2 to 4 numbers" },
        { "instructions|steps|1|updateId", """{"provider": "contoso", "name": "toaster", "version": "1.0"}""", Step1 + ".updateId names the update itself" },
        { "instructions|steps|1|handler", "\"microsoft/script:1\"", Step1 + ".handler is not allowed in a reference step" },
        { "instructions|steps|1|files", "[\"install.sh\"]", Step1 + ".files is not allowed in a reference step" },

        // Files.
        { "files", Files(11), "importManifest.files has 11 files: give 0 to 10" },
        { "files", "{}", "importManifest.files must be an array" },
        { "files|0", "\"firmware.swu\"", File0 + " must be a file object" },
        { "files|1|filename", "\"firmware.swu\"", "importManifest.files[1].filename is 'firmware.swu', as is importManifest.files[0].filename" },
        { "files|0|filename", null, File0 + ".filename is missing" },
        { "files|0|filename", "\"\"", File0 + ".filename must be a file name" },
        { "files|0|filename", "\"bin/firmware.swu\"", File0 + ".filename must be a file name of 1-255 characters without /" },
        { "files|0|filename", "\"bin\\\\firmware.swu\"", File0 + ".filename must be a file name" },
        { "files|0|filename", "\"..\"", File0 + ".filename must be a file name" },
        { "files|0|filename", "\"firm\\u0001ware.swu\"", File0 + ".filename must be a file name" },
        { "files|0|filename", "\"" + new string('f', 256) + "\"", File0 + ".filename must be a file name" },
        { "files|0|sizeInBytes", null, File0 + ".sizeInBytes is missing" },
        { "files|0|sizeInBytes", "0", File0 + ".sizeInBytes must be a whole number of bytes from 1 to 2147483648" },
        { "files|0|sizeInBytes", "-1", File0 + ".sizeInBytes must be a whole number" },
        { "files|0|sizeInBytes", "2147483649", File0 + ".sizeInBytes must be a whole number" },
        { "files|0|sizeInBytes", "1.5", File0 + ".sizeInBytes must be a whole number" },
        { "files|0|sizeInBytes", "1e3", File0 + ".sizeInBytes must be a whole number" },
        { "files|0|sizeInBytes", "\"718\"", File0 + ".sizeInBytes must be a whole number" },
        { "files|0|sizeInBytes", "2147483648", "importManifest.files add up to 2147484672 bytes: at most 2147483648 (2 GB) in all" },
        { "files|0|hashes", null, File0 + ".hashes is missing" },
        { "files|0|hashes|sha256", null, File0 + ".hashes.sha256 is missing" },
        { "files|0|hashes|sha256", "\"this is not base64 text, whatever it says!!\"", File0 + ".hashes.sha256 must be the base64 of the file's SHA-256 hash" },
        { "files|0|hashes|sha256", "\"" + ShortHash + "\"", File0 + ".hashes.sha256 must be the base64" },
        { "files|0|hashes|sha256", "\"" + FirmwareHash.TrimEnd('=') + "\"", File0 + ".hashes.sha256 must be the base64" },
        { "files|0|hashes|sha256", "\"" + FirmwareHash + "AAAA\"", File0 + ".hashes.sha256 must be the base64" },
        { "files|0|properties", "\"pass-through\"", File0 + ".properties must be an object" },
        { "files|0|relatedFiles", "[" + Delta + "]", File0 + ".downloadHandler is missing: a file with importManifest.files[0].relatedFiles needs" },
        { "files|0|relatedFiles", Files(5, "delta"), File0 + ".relatedFiles has 5 related files: give 0 to 4" },
        { "files|0|relatedFiles", $$$"""[{"filename": "firmware.swu", "sizeInBytes": 1, "hashes": {"sha256": "{{{FirmwareHash}}}"}}]""", File0 + ".relatedFiles[0].filename is 'firmware.swu', as is importManifest.files[0].filename" },
        { "files|0|downloadHandler", """{"id": "delta"}""", File0 + ".downloadHandler.id must be a download handler" },
        { "files|0|downloadHandler", "\"microsoft/delta:1\"", File0 + ".downloadHandler must be an object with an id" },

        // Schema version and creation time.
        { "manifestVersion", null, "importManifest.manifestVersion is missing" },
        { "manifestVersion", "\"3.0\"", "importManifest.manifestVersion must be the string 4.0 or 5.0" },
        { "manifestVersion", "\"4\"", "importManifest.manifestVersion must be the string 4.0 or 5.0" },
        { "manifestVersion", "4.0", "importManifest.manifestVersion must be the string 4.0 or 5.0" },
        { "createdDateTime", null, "importManifest.createdDateTime is missing" },
        { "createdDateTime", "\"yesterday\"", "importManifest.createdDateTime must be an ISO 8601 date and time" },
        { "createdDateTime", "\"01/02/2022 10:00\"", "importManifest.createdDateTime must be an ISO 8601 date and time" },
        { "createdDateTime", "\"2022-13-01T00:00:00Z\"", "importManifest.createdDateTime must be an ISO 8601 date and time" },
        { "createdDateTime", "1641038400", "importManifest.createdDateTime must be an ISO 8601 date and time" },
        { "createdDateTime", "\"2022-01-03T00:00:01Z\"", "importManifest.createdDateTime is more than a day after now" },
    };
}
