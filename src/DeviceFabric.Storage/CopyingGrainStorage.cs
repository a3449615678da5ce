using Orleans.Serialization;
using Orleans.Storage;

namespace DeviceFabric.Storage;

/// <summary>
/// Hands the inner storage a deep copy of the state, taken on the grain's thread when the write is called. Orleans'
/// ADO.NET provider serializes later, on a pool thread; the fabric's reentrant grains (registry shards, job slices, the
/// job directory) go on changing their state while a group-committed write is in flight, so the provider must never
/// see the live objects.
/// </summary>
internal sealed class CopyingGrainStorage(IGrainStorage inner, DeepCopier copier) : IGrainStorage
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ReadStateAsync(stateName, grainId, grainState);

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var copy = new GrainState<T>(copier.Copy(grainState.State), grainState.ETag) { RecordExists = grainState.RecordExists };
        await inner.WriteStateAsync(stateName, grainId, copy);
        grainState.ETag = copy.ETag;
        grainState.RecordExists = copy.RecordExists;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ClearStateAsync(stateName, grainId, grainState);
}
