using DeviceFabric.Devices;
using DeviceFabric.Hubs;
using DeviceFabric.Persistence;
using Microsoft.Extensions.Options;

namespace DeviceFabric.Provisioning;

/// <summary>
/// One enrollment, individual or group. A write is checked (<see cref="EnrollmentRules"/>), stored, then entered in the
/// provisioning service's index, which lists enrollments and finds groups by key; a group's registrations are listed by <see cref="GroupRegistrations"/>.
/// </summary>
internal sealed class EnrollmentGrain(
    [PersistentState("enrollment", GrainStorage.Name)] IPersistentState<EnrollmentState> state,
    DeviceFabric.Hosting.GrainClock clock,
    IOptions<HubOptions> hubs) : Grain, IEnrollmentGrain
{
    private EnrollmentKind _kind;
    private string _id = string.Empty;

    private IProvisioningServiceGrain Service => GrainFactory.GetGrain<IProvisioningServiceGrain>(IProvisioningServiceGrain.Key);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_kind, _id) = EnrollmentKey.Parse(this.GetPrimaryKeyString());
        return Task.CompletedTask;
    }

    public Task<Enrollment?> GetAsync(CancellationToken cancellationToken = default) => Task.FromResult(state.State.Enrollment);

    public async Task<Enrollment> CreateOrUpdateAsync(Enrollment enrollment, string? ifMatch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(enrollment);
        var current = state.State.Enrollment;
        if (current is not null && !ETags.Matches(ifMatch, current.ETag!))
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.PreconditionFailed, "The enrollment's etag does not match If-Match.");
        }

        if (current is null && !string.IsNullOrWhiteSpace(ifMatch) && ifMatch.Trim('"') != "*")
        {
            throw NotFound();
        }

        var now = clock.Time.GetUtcNow();
        var version = current is null ? 1 : ETags.ToVersion(current.ETag!) + 1;
        var stored = EnrollmentRules.Normalize(enrollment with { Kind = _kind, Id = _id }, hubs.Value) with
        {
            ETag = ETags.FromVersion(version),
            CreatedTime = current?.CreatedTime ?? now,
            UpdatedTime = now,
        };
        state.State.Enrollment = stored;
        await state.WriteStateAsync(cancellationToken);
        await Service.EnrollmentChangedAsync(_kind, _id, stored, cancellationToken);
        return stored;
    }

    public async Task DeleteAsync(string? ifMatch, CancellationToken cancellationToken = default)
    {
        var current = state.State.Enrollment ?? throw NotFound();
        if (!ETags.Matches(ifMatch, current.ETag!))
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.PreconditionFailed, "The enrollment's etag does not match If-Match.");
        }

        // The enrollment goes first: the index is only a finder, and every match it gives is checked against the enrollment.
        await state.ClearStateAsync(cancellationToken);
        state.State = new EnrollmentState();
        await Service.EnrollmentChangedAsync(_kind, _id, null, cancellationToken);
    }

    private DeviceFabricException NotFound() =>
        new(DeviceFabricErrorCode.EnrollmentNotFound, _kind == EnrollmentKind.Individual ? $"No enrollment for {_id}." : $"No enrollment group {_id}.");
}
