using System.Security.Cryptography;
using DeviceFabric.Persistence;

namespace DeviceFabric.Provisioning;

/// <summary>
/// The provisioning service: an ID scope like DPS's (<c>0ne</c> and 8 hex digits) and DPS's policies with fresh keys,
/// created once and stored; and the index of enrollments, which its enrollment grains keep up to date.
/// </summary>
internal sealed class ProvisioningServiceGrain(
    [PersistentState("provisioning", GrainStorage.Name)] IPersistentState<ProvisioningServiceState> state) : Grain, IProvisioningServiceGrain
{
    public async Task<ProvisioningServiceSettings> GetSettingsAsync(string? idScope = null, CancellationToken cancellationToken = default)
    {
        if (state.State.IdScope is null || state.State.Policies.Count == 0)
        {
            state.State.IdScope ??= idScope ?? NewIdScope();
            state.State.Policies = ProvisioningPolicy.Defaults
                .Select(p => new ProvisioningPolicy(p.KeyName, p.Rights, ProvisioningKeys.Generate(), ProvisioningKeys.Generate()))
                .ToList();
            await state.WriteStateAsync(cancellationToken);
        }

        return new ProvisioningServiceSettings(state.State.IdScope, state.State.Policies);
    }

    public async Task EnrollmentChangedAsync(EnrollmentKind kind, string id, Enrollment? enrollment, CancellationToken cancellationToken = default)
    {
        bool changed;
        if (kind == EnrollmentKind.Individual)
        {
            changed = enrollment is null ? state.State.Individuals.Remove(id) : state.State.Individuals.Add(id);
        }
        else if (enrollment is null)
        {
            changed = state.State.Groups.Remove(id);
            changed |= state.State.CertificateGroups.Remove(id);
        }
        else
        {
            var keys = enrollment.Enabled && enrollment.Attestation.Type == AttestationType.SymmetricKey
                ? new GroupKeys(id, enrollment.Attestation.PrimaryKey!, enrollment.Attestation.SecondaryKey!)
                : null;
            changed = !state.State.Groups.TryGetValue(id, out var old) || old != keys;
            state.State.Groups[id] = keys;
            changed |= IndexCertificates(id, enrollment);
        }

        if (changed)
        {
            await state.WriteStateAsync(cancellationToken);
        }
    }

    public Task<IReadOnlyList<string>> ListEnrollmentsAsync(EnrollmentKind kind, string? after, int maxCount, CancellationToken cancellationToken = default)
    {
        IEnumerable<string> ids = kind == EnrollmentKind.Individual ? state.State.Individuals : state.State.Groups.Keys;
        var page = ids.Where(id => after is null || string.CompareOrdinal(id, after) > 0).Take(maxCount).ToList();
        return Task.FromResult<IReadOnlyList<string>>(page);
    }

    public Task<IReadOnlyList<GroupKeys>> GetSymmetricKeyGroupsAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<GroupKeys>>(state.State.Groups.Values.OfType<GroupKeys>().ToList());

    public Task<IReadOnlyList<CertificateGroup>> GetCertificateGroupsAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<CertificateGroup>>(state.State.CertificateGroups.Values.ToList());

    /// <summary>Keeps an enabled X.509 group's CAs in the index; returns whether the index changed.</summary>
    private bool IndexCertificates(string id, Enrollment enrollment)
    {
        var attestation = enrollment.Attestation;
        if (!enrollment.Enabled || attestation.Type != AttestationType.X509)
        {
            return state.State.CertificateGroups.Remove(id);
        }

        var group = new CertificateGroup(
            id,
            new[] { attestation.PrimaryCertificate, attestation.SecondaryCertificate }.OfType<CertificateAttestation>().Select(c => EnrollmentRules.Der(c.Pem)).ToList(),
            new[] { attestation.PrimaryCaReference, attestation.SecondaryCaReference }.OfType<string>().ToList(),
            [.. enrollment.IotHubs ?? []]);
        var changed = !state.State.CertificateGroups.TryGetValue(id, out var old)
            || !old.SigningCertificates.SequenceEqual(group.SigningCertificates, ByteArrays.Comparer)
            || !old.CaReferences.SequenceEqual(group.CaReferences) || !old.IotHubs.SequenceEqual(group.IotHubs);
        state.State.CertificateGroups[id] = group;
        return changed;
    }

    private static string NewIdScope() => "0ne" + Convert.ToHexString(RandomNumberGenerator.GetBytes(4));

    /// <summary>Compares certificates by their bytes.</summary>
    private sealed class ByteArrays : IEqualityComparer<byte[]>
    {
        public static readonly ByteArrays Comparer = new();

        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] obj) => obj.Length;
    }
}
