namespace DeviceFabric.Mqtt.Provisioning;

/// <summary>What a registering device's PUBLISH asks.</summary>
internal enum DpsRequestKind
{
    /// <summary>Not a DPS request: the connection is closed.</summary>
    Unknown,

    /// <summary>Register (<c>iotdps-register</c>).</summary>
    Register,

    /// <summary>Poll an operation (<c>iotdps-get-operationstatus</c>).</summary>
    Poll,
}
