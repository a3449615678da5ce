namespace DeviceFabric.Provisioning;

/// <summary>How an assigned device got where it is.</summary>
public enum RegistrationSubstatus
{
    /// <summary>Its first assignment.</summary>
    InitialAssignment,

    /// <summary>Moved to another hub with its twin.</summary>
    DeviceDataMigrated,

    /// <summary>Moved to another hub, its twin reset to the enrollment's initial twin.</summary>
    DeviceDataReset,

    /// <summary>Registered again and reset to its initial assignment.</summary>
    ReprovisionedToInitialAssignment,
}
