using System.ComponentModel.DataAnnotations;
using DeviceFabric.Hubs;

namespace DeviceFabric.Tests.Hubs;

/// <summary>Which hub a host names, and the hub lists a node refuses to start with.</summary>
public sealed class HubOptionsTests
{
    private static HubOptions Two() => new()
    {
        Hubs =
        [
            new HubDefinition { Name = "plant-a", HostName = "a.example" },
            new HubDefinition { Name = "plant-b", HostName = "b.example" },
        ],
    };

    [Fact]
    public void TheHostPicksTheHub_InAnyCase_AndAnUnknownHostMeansTheFirst()
    {
        var options = Two();
        Assert.Equal("plant-b", options.ResolveHub("B.Example"));
        Assert.Equal("plant-a", options.ResolveHub("a.example"));
        Assert.Equal("plant-b", options.ResolveHub("b.example:8883"));
        Assert.Equal("plant-a", options.ResolveHub("elsewhere.example"));
        Assert.Equal("devicefabric", new HubOptions().ResolveHub("localhost"));
    }

    [Theory]
    [InlineData("plant-a", "c.example", "the name 'plant-a' is used twice")]
    [InlineData("plant-c", "A.EXAMPLE", "the host name 'a.example' is used twice")]
    [InlineData("Plant_C", "c.example", "Hubs:2: a hub's Name must be")]
    [InlineData("plant-c", "", "Hubs:2: a hub needs a HostName")]
    public void ABadHubList_IsRefused_NamingTheProblem(string name, string host, string problem)
    {
        var options = Two();
        options.Hubs.Add(new HubDefinition { Name = name, HostName = host });
        var results = new List<ValidationResult>();
        Assert.False(Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true));
        Assert.Contains(results, r => r.ErrorMessage!.Contains(problem, StringComparison.Ordinal));
    }
}
