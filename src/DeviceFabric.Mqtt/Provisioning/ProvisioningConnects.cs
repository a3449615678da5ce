using DeviceFabric.Mqtt.Sessions;
using DeviceFabric.Mqtt.Transport;
using DeviceFabric.Provisioning;
using MQTTnet.Formatter;
using MQTTnet.Server;

namespace DeviceFabric.Mqtt.Provisioning;

/// <summary>
/// The CONNECT of a device that comes to register (DPS's username): its registration id's grain checks the attestation
/// (a token signed with its enrollment's key or its group's derived key, or an enrolled certificate); a refusal is
/// CONNACK 5, as DPS answers, and creates nothing.
/// </summary>
internal sealed class ProvisioningConnects(IGrainFactory grains, ConnectionGate gate, ConnectRefusal refusal)
{
    private const int MaxRegistrationIdLength = 128;

    public async Task ValidateAsync(ValidatingConnectionEventArgs e, DpsUsername username)
    {
        if (username.RegistrationId.Length > MaxRegistrationIdLength || e.ClientId != username.RegistrationId)
        {
            await refusal.RefuseAsync(e, "client id does not match the username's registration id", id: username.RegistrationId[..Math.Min(username.RegistrationId.Length, MaxRegistrationIdLength)]);
            return;
        }

        var grain = grains.GetGrain<IDeviceRegistrationGrain>(username.RegistrationId);
        var attestation = await grain.AuthenticateAsync(new ProvisioningCredentials(username.IdScope, e.Password, ConnectRefusal.Thumbprints(e), ConnectRefusal.Chain(e, gate.Find(e.RemoteEndPoint))));
        if (!attestation.Accepted)
        {
            await refusal.RefuseAsync(e, "registration refused: " + attestation.Reason, id: username.RegistrationId);
            return;
        }

        gate.Find(e.RemoteEndPoint)?.Authenticated(e.ClientId, Guid.NewGuid(), e.ProtocolVersion == MqttProtocolVersion.V500);
        e.SessionItems[ProvisioningConnection.ItemKey] = new ProvisioningConnection(username.RegistrationId, attestation, grain);
    }
}
