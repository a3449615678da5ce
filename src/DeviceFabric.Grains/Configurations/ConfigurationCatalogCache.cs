using System.Collections.Concurrent;

namespace DeviceFabric.Configurations;

/// <summary>
/// Each hub's configurations, compiled, as this silo's twins apply them. A twin that changes gets the catalog as held
/// when it was checked within the last second, the held one while a background re-read runs when it is older, and waits
/// for a re-read when the held one is older than <see cref="MaxStaleness"/> (a silo that has not served the hub for a
/// while); a twin or shard told to apply a version waits until that version is read. The configurations grain answers
/// a read of an unchanged version with the version alone, so the re-reads cost no content.
/// </summary>
internal sealed class ConfigurationCatalogCache(TimeProvider time)
{
    /// <summary>The oldest catalog a twin applies without waiting for a fresh read.</summary>
    public static readonly TimeSpan MaxStaleness = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan s_recheck = TimeSpan.FromSeconds(1);
    private const int MaxReads = 3;
    private readonly ConcurrentDictionary<string, Entry> _hubs = new(StringComparer.Ordinal);

    /// <summary>
    /// The hub's catalog, at least at <paramref name="minVersion"/>. Called from a grain (its grain calls need one):
    /// <paramref name="grains"/> is that grain's factory.
    /// </summary>
    public async ValueTask<ConfigurationCatalog> GetAsync(IGrainFactory grains, string hub, long minVersion = -1)
    {
        var entry = _hubs.GetOrAdd(hub, static _ => new Entry());
        var held = entry.Catalog;
        var age = time.GetUtcNow() - entry.CheckedAt;
        if (held is not null && held.Version >= minVersion && age < MaxStaleness)
        {
            if (age >= s_recheck)
            {
                _ = RefreshAsync(grains, hub, entry);
            }

            return held;
        }

        // A read already running may have started before the version asked for was stored: read again until it is there.
        var catalog = await RefreshAsync(grains, hub, entry);
        for (var reads = 1; catalog.Version < minVersion && reads < MaxReads; reads++)
        {
            catalog = await RefreshAsync(grains, hub, entry, restart: true);
        }

        return catalog;
    }

    /// <summary>
    /// The hub's catalog as held, without waiting (null before this silo first read it); a stale one starts a
    /// background re-read. For a write that only asks whether configurations may concern it.
    /// </summary>
    public ConfigurationCatalog? Held(IGrainFactory grains, string hub)
    {
        var entry = _hubs.GetOrAdd(hub, static _ => new Entry());
        if (entry.Catalog is null || time.GetUtcNow() - entry.CheckedAt >= s_recheck)
        {
            _ = RefreshAsync(grains, hub, entry);
        }

        return entry.Catalog;
    }

    private Task<ConfigurationCatalog> RefreshAsync(IGrainFactory grains, string hub, Entry entry, bool restart = false)
    {
        lock (entry)
        {
            if (!restart && entry.Refresh is { IsCompleted: false } running)
            {
                return running;
            }

            entry.CheckedAt = time.GetUtcNow();
            var previous = entry.Refresh is { IsCompleted: false } inFlight ? inFlight : Task.CompletedTask;
            entry.Refresh = ReadAsync(grains, hub, entry, previous);
            return entry.Refresh;
        }
    }

    private static async Task<ConfigurationCatalog> ReadAsync(IGrainFactory grains, string hub, Entry entry, Task previous)
    {
        // After the read in flight, so an older answer never replaces a newer one.
        await previous.ContinueWith(static _ => { }, TaskScheduler.Current);
        var known = entry.Catalog?.Version ?? -1;
        var snapshot = await grains.GetGrain<IConfigurationsGrain>(hub).GetCatalogAsync(known);
        if (snapshot.Definitions is { } definitions && snapshot.Version > known)
        {
            entry.Catalog = new ConfigurationCatalog(snapshot.Version, definitions);
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
