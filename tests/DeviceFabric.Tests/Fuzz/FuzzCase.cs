using System.Globalization;

namespace DeviceFabric.Tests.Fuzz;

/// <summary>One malformed input: when it is sent (<c>before</c> or <c>after</c> CONNECT), what it is, its bytes.</summary>
internal sealed record FuzzCase(string Phase, string Name, byte[] Bytes)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Phase} {Name} ({Bytes.Length} bytes)");
}
