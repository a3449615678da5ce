using DeviceFabric.Mqtt.Hosting;
using DeviceFabric.Mqtt.Transport;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

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
        var options = services.GetRequiredService<IOptions<MqttFrontEndOptions>>();
        var time = services.GetRequiredService<TimeProvider>();
        return listener.Use(next => async connection =>
        {
            using var pending = gate.TryAdmit(connection);
            if (pending is null)
            {
                connection.Abort(new ConnectionAbortedException("Too many connections are waiting to authenticate."));
                return;
            }

            connection.Features.Set(pending);
            pending.CloseUnlessAuthenticatedWithin(options.Value.ConnectTimeout, time);
            await next(connection).ConfigureAwait(false);
        });
    }

    /// <summary>Serves IoT Hub's MQTT dialect on the listener, every packet checked before MQTTnet reads it.</summary>
    public static IConnectionBuilder UseDeviceFabricMqtt(this IConnectionBuilder listener) =>
        listener.UseConnectionHandler<GuardedMqttConnectionHandler>();
}
