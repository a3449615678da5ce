using DeviceFabric.Mqtt.Transport;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Puts the front end on a Kestrel listener: admission under the gate's caps first, MQTT (through the guard) last.</summary>
public static class MqttListenerExtensions
{
    /// <summary>
    /// Admits the connection under the caps on connections not yet authenticated, and closes it unless its CONNECT is
    /// accepted within the connect timeout. Goes before <c>UseHttps</c>, so the TLS handshake counts too.
    /// </summary>
    public static IConnectionBuilder UseMqttAdmission(this IConnectionBuilder listener)
    {
        ArgumentNullException.ThrowIfNull(listener);
        var services = listener.ApplicationServices;
        var gate = services.GetRequiredService<ConnectionGate>();
        return listener.Use(next => async connection =>
        {
            using var pending = gate.Admit(connection);
            if (pending is not null)
            {
                await next(connection).ConfigureAwait(false);
            }
        });
    }

    /// <summary>Serves IoT Hub's MQTT dialect on the listener, every packet checked before MQTTnet reads it.</summary>
    public static IConnectionBuilder UseDeviceFabricMqtt(this IConnectionBuilder listener) =>
        listener.UseConnectionHandler<GuardedMqttConnectionHandler>();
}
