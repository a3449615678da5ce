using System.Globalization;
using Orleans.Storage;

namespace DeviceFabric.Storage.Sqlite;

/// <summary>
/// The single node's grain storage: one SQLite file, reads served by a few reader threads (<see cref="SqliteStateReader"/>),
/// writes through <see cref="SqliteBatchWriter"/>, which commits many grains' writes in one transaction. The row's
/// version is the ETag; a stale one is Orleans' <see cref="InconsistentStateException"/>.
/// </summary>
internal sealed class SqliteGrainStorage : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>, IAsyncDisposable
{
    private readonly IGrainStorageSerializer _serializer;
    private readonly SqliteBatchWriter _writer;
    private readonly SqliteStateReader _reader;

    /// <summary>Opens the writer's connection; the schema must exist (<see cref="SchemaInstaller"/>).</summary>
    public SqliteGrainStorage(string connectionString, IGrainStorageSerializer serializer)
    {
        _serializer = serializer;
        _writer = new SqliteBatchWriter(connectionString);
        _reader = new SqliteStateReader(connectionString);
    }

    /// <summary>Drains the writer when the silo stops, after the grains have stored their last state.</summary>
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(SqliteGrainStorage), ServiceLifecycleStage.RuntimeStorageServices, _ => Task.CompletedTask, _ => DisposeAsync().AsTask());

    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync();
        await _reader.DisposeAsync();
    }

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (await _reader.ReadAsync(Key(stateName, grainId)) is var (version, payload))
        {
            grainState.State = _serializer.Deserialize<T>(new BinaryData(payload));
            grainState.ETag = version.ToString(CultureInfo.InvariantCulture);
            grainState.RecordExists = true;
        }
        else
        {
            grainState.State = Activator.CreateInstance<T>();
            grainState.ETag = null;
            grainState.RecordExists = false;
        }
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        // Serialized now, so the stored state is the one at the call even if the grain changes it while the write waits.
        var payload = _serializer.Serialize(grainState.State).ToArray();
        var expected = Version(grainState.ETag);
        var version = await _writer.WriteAsync(Key(stateName, grainId), expected, payload)
            ?? throw Conflict(stateName, grainId, grainState.ETag);
        grainState.ETag = version.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        _ = await _writer.WriteAsync(Key(stateName, grainId), Version(grainState.ETag), payload: null)
            ?? throw Conflict(stateName, grainId, grainState.ETag);
        grainState.State = Activator.CreateInstance<T>();
        grainState.ETag = null;
        grainState.RecordExists = false;
    }

    private static string Key(string stateName, GrainId grainId) => string.Concat(stateName, "|", grainId.ToString());

    private static long? Version(string? etag) => etag is null ? null : long.Parse(etag, CultureInfo.InvariantCulture);

    private static InconsistentStateException Conflict(string stateName, GrainId grainId, string? etag) =>
        new($"The stored version of {stateName} for {grainId} is not {etag ?? "absent"}: another activation wrote it.", "unknown", etag ?? "none");
}
