using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using DeviceFabric.Hubs;

namespace DeviceFabric.Provisioning;

/// <summary>
/// Picks a hub for a registration id among an enrollment's hubs. Hashed (and geo-latency, every hub being as near) is
/// weighted rendezvous hashing: each hub scores <c>-weight / ln(u)</c>, <c>u</c> uniform from a hash of the
/// registration id and the hub's name, and the highest wins. So the same id always gets the same hub, hubs get devices
/// in proportion to their weights, and adding a hub moves only the devices it now wins.
/// </summary>
internal static class HubAllocator
{
    /// <summary>The hubs an enrollment may allocate to: those it names, or every hub of the fabric.</summary>
    public static IReadOnlyList<HubDefinition> Candidates(Enrollment enrollment, HubOptions hubs) =>
        enrollment.IotHubs is { Count: > 0 } named
            ? hubs.All.Where(h => named.Contains(h.HostName, StringComparer.OrdinalIgnoreCase)).ToList()
            : hubs.All;

    /// <summary>The hub a static or hashed policy gives <paramref name="registrationId"/>.</summary>
    public static HubDefinition Allocate(string registrationId, IReadOnlyList<HubDefinition> candidates)
    {
        if (candidates.Count == 0)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, "The enrollment names no hub of this fabric.");
        }

        HubDefinition? best = null;
        var bestScore = double.NegativeInfinity;
        foreach (var hub in candidates)
        {
            var score = -hub.AllocationWeight / Math.Log(Uniform(registrationId, hub.Name));
            if (score > bestScore)
            {
                (best, bestScore) = (hub, score);
            }
        }

        return best!;
    }

    /// <summary>A number in (0, 1) from the registration id and the hub name, the same on every node and run.</summary>
    private static double Uniform(string registrationId, string hub)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(string.Concat(registrationId, "\n", hub)), hash);
        var bits = BinaryPrimitives.ReadUInt64BigEndian(hash) >> 11;
        return (bits + 0.5) / (1UL << 53);
    }
}
