using DeviceFabric.Diagnostics;
using Microsoft.Extensions.Time.Testing;

namespace DeviceFabric.Tests.Diagnostics;

/// <summary>What the outside can make the node log: one line per key per interval, with the count left out, and bounded keys.</summary>
public sealed class RepeatedEventFilterTests
{
    private static readonly TimeSpan s_interval = TimeSpan.FromMinutes(1);
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void FirstOccurrenceIsLogged_ThenOnePerInterval_WithTheCountLeftOut()
    {
        var filter = new RepeatedEventFilter(_time, s_interval);
        Assert.True(filter.ShouldLog("a", out var suppressed));
        Assert.Equal(0, suppressed);
        for (var i = 0; i < 5; i++)
        {
            Assert.False(filter.ShouldLog("a", out _));
        }

        Assert.True(filter.ShouldLog("b", out _));
        _time.Advance(s_interval);
        Assert.True(filter.ShouldLog("a", out suppressed));
        Assert.Equal(5, suppressed);
    }

    [Fact]
    public void PastTheKeyBound_NewKeysShareOneLine_UntilQuietKeysAreForgotten()
    {
        var filter = new RepeatedEventFilter(_time, s_interval, maxKeys: 3);
        foreach (var key in new[] { "a", "b", "c" })
        {
            Assert.True(filter.ShouldLog(key, out _));
        }

        // Every key is busy: new ones go to the shared bucket, which logs once for all of them.
        Assert.True(filter.ShouldLog("d", out _));
        Assert.False(filter.ShouldLog("e", out _));
        Assert.False(filter.ShouldLog("f", out _));

        // A whole quiet interval later the old keys are dropped and a new key has its own line again.
        _time.Advance(s_interval * 2);
        Assert.True(filter.ShouldLog("g", out var suppressed));
        Assert.Equal(0, suppressed);
        Assert.False(filter.ShouldLog("g", out _));
    }
}
