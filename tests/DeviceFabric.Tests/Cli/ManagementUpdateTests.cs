using System.Security.Cryptography;

namespace DeviceFabric.Tests.Cli;

/// <summary><c>devicefabric update</c>: an update imported from a local manifest and file, listed, shown, deployed to a group, and deleted.</summary>
public sealed class ManagementUpdateTests(ManagementCliFixture fixture) : IClassFixture<ManagementCliFixture>
{
    [Fact]
    public async Task Update_IsImportedFromDisk_Listed_Deployed_AndTheDeploymentShown()
    {
        var provider = "p" + Guid.NewGuid().ToString("N")[..8];
        var group = "g-" + provider;
        var file = RandomNumberGenerator.GetBytes(5_000);
        var manifestPath = fixture.WriteFile("toaster.importmanifest.json", $$$"""
            {"updateId":{"provider":"{{{provider}}}","name":"Toaster","version":"1.0"},"compatibility":[{"manufacturer":"Contoso","model":"Toaster"}],
             "instructions":{"steps":[{"handler":"microsoft/swupdate:1","files":["firmware.swu"],"handlerProperties":{"installedCriteria":"1.0"}}]},
             "files":[{"filename":"firmware.swu","sizeInBytes":{{{file.Length}}},"hashes":{"sha256":"{{{Convert.ToBase64String(SHA256.HashData(file))}}}"}}],
             "manifestVersion":"4.0","createdDateTime":"2026-01-01T00:00:00Z"}
            """);
        // The manifest's files are found beside it.
        await File.WriteAllBytesAsync(Path.Combine(Path.GetDirectoryName(manifestPath)!, "firmware.swu"), file, TestContext.Current.CancellationToken);

        var imported = await fixture.JsonAsync("update", "import", "--manifest", manifestPath);
        Assert.Equal(provider, (string?)imported["updateId"]!["provider"]);
        Assert.Equal("1.0", (string?)imported["updateId"]!["version"]);

        var table = await fixture.TableAsync("update", "list");
        Assert.Contains("Provider", table, StringComparison.Ordinal);
        Assert.Contains(provider, table, StringComparison.Ordinal);
        var update = new[] { "--update-provider", provider, "--update-name", "Toaster", "--update-version", "1.0" };
        Assert.Equal("4.0", (string?)(await fixture.JsonAsync(["update", "show", .. update]))["manifestVersion"]);
        var fileId = (string?)(await fixture.JsonAsync(["update", "file", "list", .. update])).AsArray().Single();
        Assert.Equal(file.Length, (long?)(await fixture.JsonAsync(["update", "file", "show", .. update, "--file-id", fileId!]))["sizeInBytes"]);

        var created = await fixture.JsonAsync(["update", "deployment", "create", "--group-id", group, "--deployment-id", "d1", .. update, "--waves", "1", "50%"]);
        Assert.Equal("d1", (string?)created["deploymentId"]);
        var shown = await fixture.JsonAsync("update", "deployment", "show", "--group-id", group, "--deployment-id", "d1");
        Assert.Equal(provider, (string?)shown["update"]!["updateId"]!["provider"]);
        Assert.Equal(2, shown["rollout"]!["waves"]!.AsArray().Count);
        Assert.Contains("d1", await fixture.TableAsync("update", "deployment", "list", "--group-id", group), StringComparison.Ordinal);

        await fixture.SucceedsAsync("update", "deployment", "delete", "--group-id", group, "--deployment-id", "d1");
        await fixture.SucceedsAsync(["update", "delete", .. update]);
        await fixture.RefusedAsync("UpdateNotFound", ["update", "show", .. update]);
    }

    [Fact]
    public async Task AManifestThatDoesNotMatchItsFile_IsRefusedWithTheApiCode()
    {
        var manifestPath = fixture.WriteFile("bad.importmanifest.json", """
            {"updateId":{"provider":"Bad","name":"Toaster","version":"1.0"},"compatibility":[{"manufacturer":"Contoso","model":"Toaster"}],
             "instructions":{"steps":[{"handler":"microsoft/swupdate:1","files":["firmware.swu"],"handlerProperties":{"installedCriteria":"1.0"}}]},
             "files":[{"filename":"firmware.swu","sizeInBytes":3,"hashes":{"sha256":"w79H6h9KSmBUcDE8rLOkT0pGH2jG+uqwfnN2EMtayDU="}}],
             "manifestVersion":"4.0","createdDateTime":"2026-01-01T00:00:00Z"}
            """);
        await File.WriteAllTextAsync(Path.Combine(Path.GetDirectoryName(manifestPath)!, "firmware.swu"), "abc", TestContext.Current.CancellationToken);
        var refused = await CliRunner.RunAsync(fixture.Node, "update", "import", "--manifest", manifestPath);
        Assert.True(refused.ExitCode == 1, refused.ToString());
        Assert.StartsWith("error: ", refused.Error.Split('\n').Last(l => l.Length > 0), StringComparison.Ordinal);
    }
}
