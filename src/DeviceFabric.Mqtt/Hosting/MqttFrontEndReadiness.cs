namespace DeviceFabric.Mqtt.Hosting;

/// <summary>
/// Completes when the MQTT server has started. MQTTnet starts it only after the application has started, so a host that
/// must not announce itself before devices can connect awaits <see cref="Ready"/>.
/// </summary>
public sealed class MqttFrontEndReadiness
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once devices can connect.</summary>
    public Task Ready => _ready.Task;

    internal void Started() => _ready.TrySetResult();
}
