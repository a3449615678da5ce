namespace DeviceFabric.Configurations;

/// <summary>Whether two maps hold the same entries, whatever their order: for a twin's bookkeeping and a configuration's counts.</summary>
internal static class SameMaps
{
    public static bool Equal<TValue>(IReadOnlyDictionary<string, TValue> a, IReadOnlyDictionary<string, TValue> b) =>
        a.Count == b.Count && a.All(p => b.TryGetValue(p.Key, out var v) && EqualityComparer<TValue>.Default.Equals(v, p.Value));
}
