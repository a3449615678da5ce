using System.CommandLine;

namespace DeviceFabric.Cli.Commands.Hub;

/// <summary>
/// The options the hub's commands share, named as <c>az iot hub</c> names them. Each call makes a new option: a
/// System.CommandLine option belongs to the one command it is added to.
/// </summary>
internal static class HubOptions
{
    public static Option<string> DeviceId(string description = "The device's id.") =>
        new("--device-id", "-d") { Description = description, Required = true };

    public static Option<string?> OptionalDeviceId(string description) => new("--device-id", "-d") { Description = description };

    public static Option<string> ModuleId() => new("--module-id", "-m") { Description = "The module's id.", Required = true };

    public static Option<string?> OptionalModuleId(string description = "The module's id (a module twin or method instead of the device's).") =>
        new("--module-id", "-m") { Description = description };

    public static Option<string?> Etag() =>
        new("--etag", "-e") { Description = "The ETag the change applies to; by default the current one (last writer wins)." };

    public static Option<int?> Top(string what) => new("--top") { Description = $"At most this many {what} (default: all, page by page)." };

    public static Option<string?> Text(string name, string description) => new(name) { Description = description };

    public static Option<string> Text(string name, string description, string defaultValue) =>
        new(name) { Description = description, DefaultValueFactory = _ => defaultValue };

    public static Option<string> RequiredText(string name, string description) => new(name) { Description = description, Required = true };

    /// <summary>An option taking one of <paramref name="values"/> (any case is refused but the listed one).</summary>
    public static Option<string> Choice(string name, string description, string defaultValue, params string[] values)
    {
        var option = new Option<string>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        option.AcceptOnlyFromAmong(values);
        return option;
    }

    /// <summary>An optional option taking one of <paramref name="values"/>, null when not given.</summary>
    public static Option<string?> OptionalChoice(string name, string description, params string[] values)
    {
        var option = new Option<string?>(name) { Description = description };
        option.AcceptOnlyFromAmong(values);
        return option;
    }

    public static Option<bool> Flag(string name, string description) => new(name) { Description = description };
}

/// <summary>REST paths with their ids escaped: IoT Hub's ids may hold <c># ? % +</c> and other characters a path may not.</summary>
internal static class HubPaths
{
    public static string Device(string deviceId) => "/devices/" + Uri.EscapeDataString(deviceId);

    public static string Module(string deviceId, string moduleId) => Device(deviceId) + "/modules/" + Uri.EscapeDataString(moduleId);

    public static string Twin(string deviceId, string? moduleId) =>
        "/twins/" + Uri.EscapeDataString(deviceId) + (moduleId is null ? string.Empty : "/modules/" + Uri.EscapeDataString(moduleId));

    public static string Escape(string value) => Uri.EscapeDataString(value);
}
