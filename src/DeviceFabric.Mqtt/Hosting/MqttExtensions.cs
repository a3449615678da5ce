using DeviceFabric.Diagnostics;
using DeviceFabric.Mqtt.Hosting;
using DeviceFabric.Mqtt.Protocol;
using DeviceFabric.Mqtt.Sessions;
using DeviceFabric.Mqtt.Telemetry;
using DeviceFabric.Mqtt.Transport;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MQTTnet.AspNetCore;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Registers the MQTT front end: IoT Hub's device dialect over MQTTnet on Kestrel.</summary>
public static class MqttExtensions
{
    /// <summary>
    /// Adds the MQTT server and the front end's handlers. Listeners are Kestrel endpoints that call
    /// <c>UseMqttAdmission()</c> (before TLS) and <c>UseDeviceFabricMqtt()</c>; WebSockets are mapped by
    /// <see cref="MapDeviceFabricMqtt"/>.
    /// </summary>
    public static IServiceCollection AddDeviceFabricMqtt(this IServiceCollection services)
    {
        services.AddOptions<MqttFrontEndOptions>().BindConfiguration(MqttFrontEndOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddHostedMqttServer(o => o.WithoutDefaultEndpoint().WithKeepAlive());
        services.AddMqttConnectionHandler();
        services.AddConnections();
        services.TryAddSingleton<MqttFrontEndReadiness>();
        services.AddMetrics();
        services.TryAddSingleton<MqttInstruments>();
        services.TryAddSingleton<ConnectionGate>();
        services.TryAddSingleton<OpenConnections>();
        services.TryAddSingleton<GuardedMqttConnectionHandler>();
        services.TryAddSingleton<ConnectionRegistry>();
        services.TryAddSingleton<ConnectionHandler>();
        services.TryAddSingleton<LoginBackoff>();
        services.TryAddSingleton<ConnectRefusal>();
        services.TryAddSingleton<DeviceFabric.Mqtt.Provisioning.ProvisioningConnects>();
        services.TryAddSingleton<DeviceFabric.Mqtt.Provisioning.ProvisioningRequestHandler>();
        services.TryAddSingleton<DeviceFabric.Mqtt.Provisioning.ProvisioningInstruments>();
        services.TryAddSingleton(sp => new FrontEndLogFilter(new RepeatedEventFilter(sp.GetRequiredService<TimeProvider>(), TimeSpan.FromMinutes(1), maxKeys: 16_384)));
        services.TryAddSingleton<PublishHandler>();
        services.TryAddSingleton<TelemetryPublisher>();
        services.TryAddSingleton<TwinRequestHandler>();
        services.TryAddSingleton<MethodResponseHandler>();
        services.TryAddSingleton<SessionSender>();
        services.AddHostedService<MqttFrontEnd>();
        services.TryAddSingleton<CredentialWatch>();
        services.AddHostedService(sp => sp.GetRequiredService<CredentialWatch>());
        return services;
    }

    /// <summary>Maps MQTT over WebSockets (sub-protocol <c>mqtt</c>) at IoT Hub's path, through the same guard as TCP.</summary>
    public static IEndpointRouteBuilder MapDeviceFabricMqtt(this IEndpointRouteBuilder endpoints, string path = "/$iothub/websocket")
    {
        endpoints.MapConnectionHandler<GuardedMqttConnectionHandler>(path, options =>
            options.WebSockets.SubProtocolSelector = MqttSubProtocolSelector.SelectSubProtocol);
        return endpoints;
    }
}
