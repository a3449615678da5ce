namespace DeviceFabric.Provisioning;

/// <summary>A registration id's record: where its device was assigned, how, and when; or why it failed.</summary>
/// <param name="RegistrationId">The registration id.</param>
/// <param name="Status">Assigned, failed...</param>
/// <param name="Substatus">How an assigned device got where it is.</param>
/// <param name="AssignedHub">The host name of the hub, when assigned.</param>
/// <param name="DeviceId">The device id in that hub, when assigned.</param>
/// <param name="EnrollmentGroupId">The group it registered through, if any.</param>
/// <param name="ErrorCode">DPS's numeric error code, when failed.</param>
/// <param name="ErrorMessage">Why it failed.</param>
/// <param name="PayloadJson">What a custom allocation webhook returned for the device, if anything.</param>
/// <param name="CreatedTime">When the id first registered.</param>
/// <param name="UpdatedTime">When the record last changed.</param>
/// <param name="ETag">The record's version.</param>
[GenerateSerializer, Immutable, Alias("devicefabric.DeviceRegistrationState")]
public sealed record DeviceRegistrationState(
    [property: Id(0)] string RegistrationId,
    [property: Id(1)] RegistrationStatus Status,
    [property: Id(2)] RegistrationSubstatus? Substatus,
    [property: Id(3)] string? AssignedHub,
    [property: Id(4)] string? DeviceId,
    [property: Id(5)] string? EnrollmentGroupId,
    [property: Id(6)] int? ErrorCode,
    [property: Id(7)] string? ErrorMessage,
    [property: Id(8)] string? PayloadJson,
    [property: Id(9)] DateTimeOffset CreatedTime,
    [property: Id(10)] DateTimeOffset UpdatedTime,
    [property: Id(11)] string ETag);
