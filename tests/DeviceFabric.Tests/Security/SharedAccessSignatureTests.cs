using DeviceFabric.Security;

namespace DeviceFabric.Tests.Security;

/// <summary>SAS parsing and verification against the vector computed with the Node SDK's algorithm.</summary>
public sealed class SharedAccessSignatureTests
{
    private const string Key = "dGVzdGtleXRlc3RrZXl0ZXN0a2V5dGVzdGtleTEyMzQ=";
    private const string NodeToken =
        "SharedAccessSignature sr=myhub.azure-devices.net%2Fdevices%2Fdev1&sig=9WXfT%2BIzM%2FZzdMQ7hfFyOZWFNC3xO8%2FFFzFOAbWYQ2k%3D&se=1700000000";

    [Fact]
    public void TryParse_NodeSdkVector_VerifiesWithItsKey()
    {
        Assert.True(SharedAccessSignature.TryParse(NodeToken, out var token, out _));
        Assert.Equal("myhub.azure-devices.net/devices/dev1", token.Resource);
        Assert.Equal("myhub.azure-devices.net", token.ResourceHost);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1700000000), token.ExpiresAt);
        Assert.Null(token.KeyName);
        Assert.True(token.IsSignedWith(Key));
    }

    [Fact]
    public void Create_ReproducesTheNodeSdkVector()
    {
        var token = SharedAccessSignature.Create("myhub.azure-devices.net/devices/dev1", Key, null, DateTimeOffset.FromUnixTimeSeconds(1700000000));
        Assert.Equal(NodeToken, token);
    }

    [Fact]
    public void IsSignedWith_OtherKeyOrTamperedResource_IsFalse()
    {
        Assert.True(SharedAccessSignature.TryParse(NodeToken, out var token, out _));
        Assert.False(token.IsSignedWith(SymmetricKeys.Generate()));
        Assert.False(token.IsSignedWith("not base64!"));

        var tampered = NodeToken.Replace("dev1", "dev2", StringComparison.Ordinal);
        Assert.True(SharedAccessSignature.TryParse(tampered, out var forged, out _));
        Assert.False(forged.IsSignedWith(Key));
    }

    [Fact]
    public void IsSignedWith_UnencodedResource_SignsOverTheRawText()
    {
        // The Node service SDK puts the host unencoded in sr; the signature covers sr exactly as sent.
        var expiry = DateTimeOffset.UtcNow.AddHours(1);
        var encoded = SharedAccessSignature.Create("hub.example", Key, "iothubowner", expiry);
        Assert.True(SharedAccessSignature.TryParse(encoded, out var token, out _));
        Assert.Equal("iothubowner", token.KeyName);
        Assert.True(token.IsSignedWith(Key));
    }

    [Fact]
    public void IsExpired_HonoursClockSkew()
    {
        var token = Parse(SharedAccessSignature.Create("h", Key, null, DateTimeOffset.FromUnixTimeSeconds(1_000_000)));
        var justAfter = DateTimeOffset.FromUnixTimeSeconds(1_000_060);
        Assert.True(token.IsExpired(justAfter, TimeSpan.Zero));
        Assert.False(token.IsExpired(justAfter, TimeSpan.FromMinutes(5)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Bearer abc")]
    [InlineData("SharedAccessSignature sr=a&se=1")]
    [InlineData("SharedAccessSignature sr=a&sig=AAAA&se=1")]
    [InlineData("SharedAccessSignature sr=a&sig=9WXfT%2BIzM%2FZzdMQ7hfFyOZWFNC3xO8%2FFFzFOAbWYQ2k%3D&se=soon")]
    [InlineData("SharedAccessSignature sr=a&sig=9WXfT%2BIzM%2FZzdMQ7hfFyOZWFNC3xO8%2FFFzFOAbWYQ2k%3D&se=-5")]
    [InlineData("SharedAccessSignature sr&sig&se")]
    public void TryParse_Malformed_IsRefusedWithAReason(string? text)
    {
        Assert.False(SharedAccessSignature.TryParse(text, out _, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }

    private static SharedAccessSignature Parse(string text) =>
        SharedAccessSignature.TryParse(text, out var token, out _) ? token : throw new InvalidOperationException(text);
}
