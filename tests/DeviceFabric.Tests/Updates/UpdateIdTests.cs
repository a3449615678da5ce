using DeviceFabric.Updates;

namespace DeviceFabric.Tests.Updates;

/// <summary>
/// An update identity as text: the compact JSON the agent reports in <c>installedUpdateId</c>, read back whatever case
/// the member names take, and refused when it is not one identity.
/// </summary>
public sealed class UpdateIdTests
{
    [Fact]
    public void ToJson_IsTheAgentsCompactForm()
    {
        Assert.Equal("""{"provider":"Contoso","name":"Toaster","version":"1.0"}""", new UpdateId("Contoso", "Toaster", "1.0").ToJson());
    }

    [Fact]
    public void TryParse_ReadsWhatToJsonWrites()
    {
        var id = new UpdateId("Contoso", "Toaster.HeatingElement", "2021.11.8");

        Assert.True(UpdateId.TryParse(id.ToJson(), out var parsed));
        Assert.Equal(id, parsed);
    }

    [Theory]
    [InlineData("""{"Provider":"Contoso","Name":"Toaster","Version":"1.0"}""")]
    [InlineData("""{"PROVIDER":"Contoso","name":"Toaster","vErSiOn":"1.0","extra":{"x":[1]}}""")]
    [InlineData("""  { "version" : "1.0", "name" : "Toaster", "provider" : "Contoso" }  """)]
    public void TryParse_MemberNames_AreMatchedWithoutCase(string json)
    {
        Assert.True(UpdateId.TryParse(json, out var id));
        Assert.Equal(new UpdateId("Contoso", "Toaster", "1.0"), id);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("null")]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("\"{\\\"provider\\\":\\\"Contoso\\\"}\"")]
    [InlineData("""{"provider":"Contoso","name":"Toaster"}""")]
    [InlineData("""{"provider":"Contoso","name":"Toaster","version":1.0}""")]
    [InlineData("""{"provider":"Contoso","name":"","version":"1.0"}""")]
    [InlineData("""{"provider":"Contoso","name":"Toaster","version":"1.0","Name":"Oven"}""")]
    [InlineData("""{"provider":"Contoso","name":"Toaster","version":"1.0"} trailing""")]
    public void TryParse_NotAnIdentity_IsFalse(string? json)
    {
        Assert.False(UpdateId.TryParse(json, out var id));
        Assert.Null(id);
    }
}
