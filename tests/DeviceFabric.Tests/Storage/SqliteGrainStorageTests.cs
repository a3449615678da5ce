using DeviceFabric.Storage;
using DeviceFabric.Storage.Sqlite;
using DeviceFabric.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;

namespace DeviceFabric.Tests.Storage;

/// <summary>The single node's SQLite grain storage on a real file: versions as ETags, conflicts, batches, durability.</summary>
public sealed class SqliteGrainStorageTests : IAsyncLifetime
{
    private readonly string _connectionString = Orleans.Hosting.StorageExtensions.SqliteConnectionString(TestNode.NewDataDirectory());
    private readonly ServiceProvider _services = new ServiceCollection().AddSerializer().BuildServiceProvider();
    private SqliteGrainStorage _storage = null!;

    public ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(_connectionString).DataSource)!);
        SchemaInstaller.Install(StorageMode.Sqlite, _connectionString);
        _storage = Open();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _storage.DisposeAsync();
        await _services.DisposeAsync();
    }

    private SqliteGrainStorage Open() => new(_connectionString, ActivatorUtilities.CreateInstance<OrleansGrainStorageSerializer>(_services));

    private static GrainId Grain(string key) => GrainId.Create("test", key);

    [Fact]
    public async Task MissingState_ReadsAsNew_ThenWritesBumpTheVersion()
    {
        var state = new GrainState<Dictionary<string, long>>();
        await _storage.ReadStateAsync("s", Grain("a"), state);
        Assert.False(state.RecordExists);
        Assert.Null(state.ETag);
        Assert.Empty(state.State!);

        state.State!["x"] = 1;
        await _storage.WriteStateAsync("s", Grain("a"), state);
        Assert.Equal("1", state.ETag);
        state.State["x"] = 2;
        await _storage.WriteStateAsync("s", Grain("a"), state);
        Assert.Equal("2", state.ETag);

        var read = new GrainState<Dictionary<string, long>>();
        await _storage.ReadStateAsync("s", Grain("a"), read);
        Assert.True(read.RecordExists);
        Assert.Equal("2", read.ETag);
        Assert.Equal(2, read.State!["x"]);
    }

    [Fact]
    public async Task StaleOrMissingETag_IsAConflict_AndChangesNothing()
    {
        var first = new GrainState<Dictionary<string, long>> { State = new() { ["v"] = 1 } };
        await _storage.WriteStateAsync("s", Grain("b"), first);

        var stale = new GrainState<Dictionary<string, long>> { State = new() { ["v"] = 99 } };
        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateAsync("s", Grain("b"), stale));
        stale.ETag = "7";
        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateAsync("s", Grain("b"), stale));

        var read = new GrainState<Dictionary<string, long>>();
        await _storage.ReadStateAsync("s", Grain("b"), read);
        Assert.Equal(1, read.State!["v"]);
        Assert.Equal("1", read.ETag);
    }

    [Fact]
    public async Task ConcurrentWritesOfManyGrains_AreAllStored_AndSurviveReopening()
    {
        var states = Enumerable.Range(0, 2000).Select(i => new GrainState<Dictionary<string, long>> { State = new() { ["i"] = i } }).ToList();
        await Task.WhenAll(states.Select((s, i) => _storage.WriteStateAsync("many", Grain("g" + i), s)));

        await _storage.DisposeAsync();
        _storage = Open();
        for (var i = 0; i < states.Count; i += 97)
        {
            var read = new GrainState<Dictionary<string, long>>();
            await _storage.ReadStateAsync("many", Grain("g" + i), read);
            Assert.Equal(i, read.State!["i"]);
        }
    }

    [Fact]
    public async Task Clear_RemovesTheState_WithTheETagChecked()
    {
        var state = new GrainState<Dictionary<string, long>> { State = new() { ["v"] = 1 } };
        await _storage.WriteStateAsync("s", Grain("c"), state);
        var stale = new GrainState<Dictionary<string, long>> { ETag = "5" };
        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.ClearStateAsync("s", Grain("c"), stale));

        await _storage.ClearStateAsync("s", Grain("c"), state);
        Assert.False(state.RecordExists);
        var read = new GrainState<Dictionary<string, long>>();
        await _storage.ReadStateAsync("s", Grain("c"), read);
        Assert.False(read.RecordExists);
    }
}
