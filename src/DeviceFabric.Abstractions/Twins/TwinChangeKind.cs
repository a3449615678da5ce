namespace DeviceFabric.Twins;

/// <summary>What changed in a twin.</summary>
public enum TwinChangeKind
{
    /// <summary>The service patched tags or desired properties (IoT Hub's <c>updateTwin</c>).</summary>
    Updated = 0,

    /// <summary>The service replaced tags and desired properties (IoT Hub's <c>replaceTwin</c>).</summary>
    Replaced = 1,

    /// <summary>The device patched its reported properties.</summary>
    ReportedUpdated = 2,
}
