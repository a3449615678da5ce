using DeviceFabric.Devices;
using DeviceFabric.Registry;

namespace DeviceFabric.Tests.Devices;

public sealed class DeviceIdRulesTests
{
    [Theory]
    [InlineData("dev1")]
    [InlineData("A-b.c+d%e_f#g*h?i!j(k)l,m=n@o$p'q")]
    [InlineData("x")]
    public void IsValid_IotHubCharacters_Accepted(string id) => Assert.True(DeviceIdRules.IsValid(id));

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("has/slash")]
    [InlineData("has space")]
    [InlineData("ünïcode")]
    [InlineData("tab\t")]
    [InlineData("semi;colon")]
    public void IsValid_OtherCharacters_Refused(string? id) => Assert.False(DeviceIdRules.IsValid(id));

    [Fact]
    public void IsValid_LengthLimit_Is128()
    {
        Assert.True(DeviceIdRules.IsValid(new string('a', 128)));
        Assert.False(DeviceIdRules.IsValid(new string('a', 129)));
    }

    [Fact]
    public void ShardOf_IsStableAndSpreadsDevices()
    {
        // Pinned values: a change of hash would orphan every stored catalog row.
        Assert.Equal(119, RegistryShards.ShardOf("dev1"));
        Assert.Equal(61, RegistryShards.ShardOf("thermostat-42"));
        var shards = Enumerable.Range(0, 12_800).Select(i => RegistryShards.ShardOf($"device-{i}")).GroupBy(s => s).ToList();
        Assert.Equal(RegistryShards.Count, shards.Count);
        Assert.All(shards, g => Assert.InRange(g.Count(), 50, 150));
    }
}
