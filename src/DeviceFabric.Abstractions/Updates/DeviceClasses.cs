using System.Security.Cryptography;
using System.Text;

namespace DeviceFabric.Updates;

/// <summary>
/// Device classes: devices whose agents report the same compatibility properties (those named in
/// <c>compatPropertyNames</c>, with their values) are one class, and an update is for a class when one of its
/// compatibility entries matches.
/// </summary>
public static class DeviceClasses
{
    /// <summary>
    /// A class's id: the first 40 hex digits of the SHA-256 of its properties as a JSON array of <c>[name, value]</c>
    /// pairs, names lower-cased, sorted by name. JSON, so no choice of values can make two classes' texts the same.
    /// </summary>
    public static string IdOf(IReadOnlyDictionary<string, string> compatProperties)
    {
        ArgumentNullException.ThrowIfNull(compatProperties);
        var pairs = compatProperties
            .Select(p => new[] { p.Key.ToLowerInvariant(), p.Value })
            .OrderBy(p => p[0], StringComparer.Ordinal)
            .ToArray();
        var text = System.Text.Json.JsonSerializer.Serialize(pairs, DeviceClassesJson.Default.StringArrayArray);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..40];
    }

    /// <summary>Whether an update's compatibility entries admit a class: every property of one entry has the class's value (names without regard to case).</summary>
    public static bool Admits(IReadOnlyList<IReadOnlyDictionary<string, string>> compatibility, IReadOnlyDictionary<string, string> compatProperties)
    {
        ArgumentNullException.ThrowIfNull(compatibility);
        ArgumentNullException.ThrowIfNull(compatProperties);
        var properties = new Dictionary<string, string>(compatProperties, StringComparer.OrdinalIgnoreCase);
        return compatibility.Any(entry => entry.All(p => properties.TryGetValue(p.Key, out var value) && value == p.Value));
    }
}

/// <summary>Source-generated JSON for <see cref="DeviceClasses"/>.</summary>
[System.Text.Json.Serialization.JsonSerializable(typeof(string[][]))]
internal sealed partial class DeviceClassesJson : System.Text.Json.Serialization.JsonSerializerContext;
