using System.Net;
using DeviceFabric.Mqtt.Hosting;
using DeviceFabric.Mqtt.Sessions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace DeviceFabric.Tests.Mqtt;

/// <summary>The login backoff's accounting: per source, doubling to a cap, forgiven after a quiet minute, bounded in sources.</summary>
public sealed class LoginBackoffTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly LoginBackoff _backoff;

    public LoginBackoffTests() =>
        _backoff = new LoginBackoff(Options.Create(new MqttFrontEndOptions { FailedLoginsBeforeBackoff = 2, MaxLoginBackoff = TimeSpan.FromSeconds(1) }), _time);

    [Fact]
    public void HoldsDoubleAfterTheFreeFailures_UpToTheCap_AndAreForgivenAfterAQuietWindow()
    {
        var source = IPAddress.Parse("192.0.2.1");
        var holds = Enumerable.Range(0, 6).Select(_ => _backoff.Refused(source)).ToArray();
        Assert.Equal([0, 0, 250, 500, 1000, 1000], holds.Select(h => h.TotalMilliseconds));
        Assert.Equal(TimeSpan.Zero, _backoff.Refused(IPAddress.Parse("192.0.2.2")));

        _time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(TimeSpan.Zero, _backoff.Refused(source));
    }

    [Fact]
    public void AnIPv6Source_IsCountedByIts64()
    {
        Assert.Equal(TimeSpan.Zero, _backoff.Refused(IPAddress.Parse("2001:db8:1:2::1")));
        Assert.Equal(TimeSpan.Zero, _backoff.Refused(IPAddress.Parse("2001:db8:1:2::2")));
        Assert.Equal(TimeSpan.FromMilliseconds(250), _backoff.Refused(IPAddress.Parse("2001:db8:1:2:ffff::3")));
        Assert.Equal(TimeSpan.Zero, _backoff.Refused(IPAddress.Parse("2001:db8:1:3::1")));
        Assert.Equal(IPAddress.Parse("192.0.2.9"), LoginBackoff.SourceKey(IPAddress.Parse("::ffff:192.0.2.9")));
    }

    [Fact]
    public void PastTheSourceBound_NewSourcesShareOneCount()
    {
        for (var i = 0; i < 10_000; i++)
        {
            _backoff.Refused(new IPAddress(BitConverter.GetBytes(0x0A000000 + i)));
        }

        // The table is full of sources refused this minute: three new ones count as one source, so the third is held.
        Assert.Equal(TimeSpan.Zero, _backoff.Refused(IPAddress.Parse("203.0.113.1")));
        Assert.Equal(TimeSpan.Zero, _backoff.Refused(IPAddress.Parse("203.0.113.2")));
        Assert.Equal(TimeSpan.FromMilliseconds(250), _backoff.Refused(IPAddress.Parse("203.0.113.3")));
    }
}
