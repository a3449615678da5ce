namespace DeviceFabric.Provisioning;

/// <summary>The permissions a provisioning service shared access policy grants, as DPS names them.</summary>
[Flags]
public enum ProvisioningRights
{
    /// <summary>Nothing.</summary>
    None = 0,

    /// <summary>Change the service's own settings.</summary>
    ServiceConfig = 1,

    /// <summary>Read enrollments and enrollment groups.</summary>
    EnrollmentRead = 2,

    /// <summary>Create, update and delete enrollments and enrollment groups.</summary>
    EnrollmentWrite = 4,

    /// <summary>Register devices on their behalf.</summary>
    DeviceConnect = 8,

    /// <summary>Read device registration states.</summary>
    RegistrationStatusRead = 16,

    /// <summary>Delete device registration states.</summary>
    RegistrationStatusWrite = 32,

    /// <summary>Every right.</summary>
    All = ServiceConfig | EnrollmentRead | EnrollmentWrite | DeviceConnect | RegistrationStatusRead | RegistrationStatusWrite,
}
