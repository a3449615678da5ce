namespace DeviceFabric.Jobs;

/// <summary>Builds and splits the grain keys that scope a job by hub: <c>{hub}/{jobId}</c>.</summary>
public static class JobKey
{
    /// <summary>The grain key of a job in a hub.</summary>
    public static string Create(string hub, string jobId) => string.Concat(hub, "/", jobId);

    /// <summary>Splits a job grain key into its hub and job id.</summary>
    public static (string Hub, string JobId) Parse(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == key.Length - 1)
        {
            throw new ArgumentException($"'{key}' is not a job key of the form hub/jobId.", nameof(key));
        }

        return (key[..slash], key[(slash + 1)..]);
    }
}
