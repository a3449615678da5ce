namespace DeviceFabric.Provisioning;

/// <summary>DPS's registration status.</summary>
public enum RegistrationStatus
{
    /// <summary>Not registered yet.</summary>
    Unassigned,

    /// <summary>Being assigned: poll again.</summary>
    Assigning,

    /// <summary>Assigned to a hub, where the device exists.</summary>
    Assigned,

    /// <summary>The assignment failed; the error says why.</summary>
    Failed,

    /// <summary>The enrollment is disabled.</summary>
    Disabled,
}
