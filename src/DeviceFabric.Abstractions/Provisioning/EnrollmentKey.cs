namespace DeviceFabric.Provisioning;

/// <summary>The grain keys of enrollments: <c>individual/{registrationId}</c> and <c>group/{enrollmentGroupId}</c>.</summary>
public static class EnrollmentKey
{
    /// <summary>The grain key of an enrollment.</summary>
    public static string Create(EnrollmentKind kind, string id) =>
        string.Concat(kind == EnrollmentKind.Individual ? "individual/" : "group/", id);

    /// <summary>Splits an enrollment grain key.</summary>
    public static (EnrollmentKind Kind, string Id) Parse(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.StartsWith("individual/", StringComparison.Ordinal) ? (EnrollmentKind.Individual, key["individual/".Length..])
            : key.StartsWith("group/", StringComparison.Ordinal) ? (EnrollmentKind.Group, key["group/".Length..])
            : throw new ArgumentException($"'{key}' is not an enrollment key.", nameof(key));
    }
}
