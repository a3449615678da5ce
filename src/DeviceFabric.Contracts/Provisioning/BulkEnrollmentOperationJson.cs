namespace DeviceFabric.Contracts.Provisioning;

/// <summary>A bulk operation on individual enrollments (<c>POST /enrollments</c>), at most 10 at a time.</summary>
public sealed class BulkEnrollmentOperationJson
{
    /// <summary><c>create</c>, <c>update</c>, <c>updateIfMatchETag</c> or <c>delete</c>.</summary>
    public string? Mode { get; set; }

    /// <summary>The enrollments.</summary>
    public List<IndividualEnrollmentJson>? Enrollments { get; set; }
}
