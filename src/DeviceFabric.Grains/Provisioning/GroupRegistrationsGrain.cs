using DeviceFabric.Persistence;

namespace DeviceFabric.Provisioning;

/// <summary>
/// A shard of a group's registration ids. Records interleave: an id joins the set at once and waits for the next write
/// that carries it, so however many registrations arrive together, the shard has at most one write in flight and one
/// queued behind it.
/// </summary>
internal sealed class GroupRegistrationsGrain(
    [PersistentState("groupRegistrations", GrainStorage.Name)] IPersistentState<GroupRegistrationsState> state) : Grain, IGroupRegistrationsGrain
{
    private Task _writing = Task.CompletedTask;
    private Task? _queued;

    public Task RecordAsync(string registrationId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(registrationId);
        var added = state.State.Ids.Add(registrationId);
        if (_queued is not null)
        {
            // Whether new or already here but perhaps not yet stored: the queued write carries everything added so far.
            return _queued;
        }

        if (_writing.IsCompleted)
        {
            return added ? _writing = state.WriteStateAsync() : Task.CompletedTask;
        }

        return _queued = WriteAfterCurrentAsync();
    }

    public Task<IReadOnlyList<string>> ListAsync(string? after, int maxCount, CancellationToken cancellationToken = default)
    {
        var ids = state.State.Ids;
        IEnumerable<string> rest = after is null ? ids
            : ids.Max is { } last && string.CompareOrdinal(after, last) < 0 ? ids.GetViewBetween(after, last).Where(id => !string.Equals(id, after, StringComparison.Ordinal))
            : [];
        IReadOnlyList<string> page = [.. rest.Take(Math.Clamp(maxCount, 1, GroupRegistrations.MaxPage))];
        return Task.FromResult(page);
    }

    private async Task WriteAfterCurrentAsync()
    {
        try
        {
            await _writing;
        }
        catch (Exception)
        {
            // That write's callers saw its failure; this one stores the set again, theirs included.
        }

        _queued = null;
        _writing = state.WriteStateAsync();
        await _writing;
    }
}
