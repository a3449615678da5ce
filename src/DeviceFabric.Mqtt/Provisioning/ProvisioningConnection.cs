using DeviceFabric.Provisioning;

namespace DeviceFabric.Mqtt.Provisioning;

/// <summary>A registering device's connection: its registration id and the enrollment it attested. Kept in the MQTTnet session's items.</summary>
internal sealed class ProvisioningConnection(string registrationId, RegistrationAttestation attestation, IDeviceRegistrationGrain grain)
{
    public const string ItemKey = "devicefabric.provisioning";

    /// <summary>The registering connection kept in an MQTTnet session's items, if the connect was one.</summary>
    public static ProvisioningConnection? From(System.Collections.IDictionary sessionItems) =>
        sessionItems.Contains(ItemKey) ? sessionItems[ItemKey] as ProvisioningConnection : null;

    public string RegistrationId { get; } = registrationId;

    public RegistrationAttestation Attestation { get; } = attestation;

    public IDeviceRegistrationGrain Grain { get; } = grain;
}
