using System.Collections.Concurrent;

namespace DeviceFabric.Configurations;

/// <summary>
/// Each hub's configurations, compiled, as this silo's twins apply them. A twin that changes asks for the catalog as
/// it is held (a stale one is re-read in the background, at most once a second, so a write never waits on it); a twin
/// told to apply a newer version waits until that version is read. The configurations grain answers a read of an
/// unchanged version with the version alone, so the re-reads cost no content.
/// </summary>
internal sealed class ConfigurationCatalogCache(TimeProvider time)
{
    private static readonly TimeSpan s_recheck = TimeSpan.FromSeconds(1);
    private readonly ConcurrentDictionary<string, Entry> _hubs = new(StringComparer.Ordinal);

    /// <summary>
    /// The hub's catalog, at least at <paramref name="minVersion"/>. Called from a grain (its grain calls need one):
    /// <paramref name="grains"/> is that grain's factory.
    /// </summary>
    public async ValueTask<ConfigurationCatalog> GetAsync(IGrainFactory grains, string hub, long minVersion = -1)
    {
        var entry = _hubs.GetOrAdd(hub, static _ => new Entry());
        var held = entry.Catalog;
        if (held is not null && held.Version >= minVersion)
        {
            if (time.GetUtcNow() - entry.CheckedAt >= s_recheck)
            {
                _ = RefreshAsync(grains, hub, entry);
            }

            return held;
        }

        return await RefreshAsync(grains, hub, entry);
    }

    private Task<ConfigurationCatalog> RefreshAsync(IGrainFactory grains, string hub, Entry entry)
    {
        lock (entry)
        {
            if (entry.Refresh is { IsCompleted: false } running)
            {
                return running;
            }

            entry.CheckedAt = time.GetUtcNow();
            entry.Refresh = ReadAsync(grains, hub, entry);
            return entry.Refresh;
        }
    }

    private static async Task<ConfigurationCatalog> ReadAsync(IGrainFactory grains, string hub, Entry entry)
    {
        var known = entry.Catalog?.Version ?? -1;
        var snapshot = await grains.GetGrain<IConfigurationsGrain>(hub).GetCatalogAsync(known);
        if (snapshot.Definitions is { } definitions && snapshot.Version != known)
        {
            entry.Catalog = definitions.Count == 0 ? new ConfigurationCatalog(snapshot.Version, []) : new ConfigurationCatalog(snapshot.Version, definitions);
        }

        return entry.Catalog ?? ConfigurationCatalog.Empty;
    }

    private sealed class Entry
    {
        public volatile ConfigurationCatalog? Catalog;
        public DateTimeOffset CheckedAt;
        public Task<ConfigurationCatalog>? Refresh;
    }
}
