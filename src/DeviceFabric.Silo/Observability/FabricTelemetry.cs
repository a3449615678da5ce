namespace DeviceFabric.Silo.Observability;

/// <summary>The meters and activity sources the node exports: the fabric's own and the Orleans runtime's.</summary>
internal static class FabricTelemetry
{
    public static readonly string[] Meters =
    [
        DeviceFabric.Mqtt.Hosting.MqttInstruments.MeterName,
        DeviceFabric.Mqtt.Provisioning.ProvisioningInstruments.MeterName,
        DeviceFabric.Alerts.AlertInstruments.MeterName,
        DeviceFabric.Devices.DeviceInstruments.MeterName,
        DeviceFabric.Jobs.JobInstruments.MeterName,
        DeviceFabric.Configurations.ConfigurationInstruments.MeterName,
        DeviceFabric.Updates.UpdateInstruments.MeterName,
        DeviceFabric.DigitalTwins.DigitalTwinInstruments.MeterName,
        DeviceFabric.Query.QueryInstruments.MeterName,
        DeviceFabric.Security.SecurityInstruments.MeterName,
        DeviceFabric.Storage.StorageInstruments.MeterName,
        DeviceFabric.Transfers.TransferInstruments.MeterName,
        DeviceFabric.Telemetry.TelemetryInstruments.MeterName,
    ];

    public static readonly string[] Sources =
    [
        DeviceFabric.Mqtt.Hosting.MqttInstruments.ActivitySourceName,
        DeviceFabric.Storage.StorageInstruments.ActivitySourceName,
        "Microsoft.Orleans.Runtime",
        "Microsoft.Orleans.Application",
    ];
}
