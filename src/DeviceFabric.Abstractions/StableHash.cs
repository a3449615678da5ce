namespace DeviceFabric;

/// <summary>
/// FNV-1a over a string's characters: a hash that is the same in every process and version, which
/// <see cref="string.GetHashCode()"/> (randomised per process) is not; shard maps are stored by it.
/// </summary>
public static class StableHash
{
    /// <summary>The 32-bit FNV-1a hash of <paramref name="value"/>'s UTF-16 characters.</summary>
    public static uint Of(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return Of(value.AsSpan());
    }

    /// <summary>The 32-bit FNV-1a hash of <paramref name="value"/>'s UTF-16 characters.</summary>
    public static uint Of(ReadOnlySpan<char> value)
    {
        var hash = 2166136261u;
        foreach (var c in value)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return hash;
    }
}
