using System.Globalization;

namespace DeviceFabric.Jobs;

/// <summary>Builds and splits the grain keys of a job's slices: <c>{hub}/{jobId}/{shard}</c>.</summary>
internal static class JobSliceKey
{
    /// <summary>The slice of job <paramref name="jobId"/> for registry shard <paramref name="shard"/>.</summary>
    public static string Create(string hub, string jobId, int shard) =>
        string.Concat(hub, "/", jobId, "/", shard.ToString(CultureInfo.InvariantCulture));

    /// <summary>Splits a slice key into hub, job id and shard.</summary>
    public static (string Hub, string JobId, int Shard) Parse(string key)
    {
        var first = key.IndexOf('/', StringComparison.Ordinal);
        var last = key.LastIndexOf('/');
        return (key[..first], key[(first + 1)..last], int.Parse(key.AsSpan(last + 1), CultureInfo.InvariantCulture));
    }
}
