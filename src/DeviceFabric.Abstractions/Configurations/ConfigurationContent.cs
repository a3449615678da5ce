namespace DeviceFabric.Configurations;

/// <summary>
/// What a configuration writes into the twins it targets, as IoT Hub's <c>content</c>: twin paths (<c>properties.desired</c>,
/// <c>properties.desired.a.b</c>, <c>tags.x</c>) to JSON values, kept as JSON text so the record stays immutable.
/// </summary>
/// <param name="DeviceContent">For device twins (<c>deviceContent</c>).</param>
/// <param name="ModuleContent">For module twins matched by a <c>FROM devices.modules</c> condition (<c>moduleContent</c>).</param>
/// <param name="ModulesContent">An IoT Edge deployment (<c>modulesContent</c>): by module id, the paths of that module's twin.</param>
[GenerateSerializer, Immutable, Alias("devicefabric.ConfigurationContent")]
public sealed record ConfigurationContent(
    [property: Id(0)] IReadOnlyDictionary<string, string> DeviceContent,
    [property: Id(1)] IReadOnlyDictionary<string, string> ModuleContent,
    [property: Id(2)] IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> ModulesContent)
{
    /// <summary>Which of the three the configuration is: it carries exactly one.</summary>
    public ConfigurationKind Kind =>
        ModulesContent.Count > 0 ? ConfigurationKind.EdgeDeployment : ModuleContent.Count > 0 ? ConfigurationKind.Module : ConfigurationKind.Device;
}

/// <summary>What a configuration targets.</summary>
public enum ConfigurationKind
{
    /// <summary>Device twins (<c>deviceContent</c>).</summary>
    Device,

    /// <summary>Module twins (<c>moduleContent</c>).</summary>
    Module,

    /// <summary>IoT Edge devices' module twins (<c>modulesContent</c>).</summary>
    EdgeDeployment,
}
