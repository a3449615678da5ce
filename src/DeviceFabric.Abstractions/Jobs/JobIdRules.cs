using DeviceFabric.Devices;

namespace DeviceFabric.Jobs;

/// <summary>Job ids follow IoT Hub's id rules, the same as device ids (so they never hold the <c>/</c> of grain keys).</summary>
public static class JobIdRules
{
    /// <summary>Throws IoT Hub's 400 (<see cref="DeviceFabricErrorCode.ArgumentInvalid"/>) for an id outside the rules.</summary>
    public static void ThrowIfInvalid(string? jobId)
    {
        if (!DeviceIdRules.IsValid(jobId))
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, "The job id must be 1-128 ASCII letters, digits or - . + % _ # * ? ! ( ) , = @ $ '.");
        }
    }
}
