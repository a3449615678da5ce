using BenchmarkDotNet.Attributes;
using DeviceFabric.Security;

namespace DeviceFabric.Benchmarks.Security;

/// <summary>SAS token parsing and HMAC verification: the work of every device connect and every REST call.</summary>
[MemoryDiagnoser]
public class SasBenchmarks
{
    private readonly string _key = SymmetricKeys.Generate();
    private string _token = null!;

    [GlobalSetup]
    public void Setup() => _token = SharedAccessSignature.Create("localhost/devices/thermostat-42", _key, null, DateTimeOffset.UtcNow.AddHours(1));

    [Benchmark]
    public bool ParseAndVerify() => SharedAccessSignature.TryParse(_token, out var token, out _) && token.IsSignedWith(_key);

    [Benchmark]
    public string Create() => SharedAccessSignature.Create("localhost/devices/thermostat-42", _key, null, DateTimeOffset.UnixEpoch.AddYears(60));
}
