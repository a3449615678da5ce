using System.Diagnostics.CodeAnalysis;

namespace DeviceFabric.Mqtt.Protocol;

/// <summary>
/// IoT Hub's MQTT username: <c>{host}/{deviceId}/?api-version=...[&amp;model-id=...][&amp;DeviceClientType=...]</c>
/// (the legacy form without <c>?</c> is accepted too). Unknown parameters are ignored; <c>api-version</c> is required.
/// </summary>
internal sealed record IotHubUsername(string HostName, string DeviceId, string? ModuleId, string? ModelId)
{
    public static bool TryParse(string? username, [NotNullWhen(true)] out IotHubUsername? parsed)
    {
        parsed = null;
        if (string.IsNullOrEmpty(username) || username.Length > 2048)
        {
            return false;
        }

        var parts = username.Split('/');
        if (parts.Length is < 3 or > 4 || parts[0].Length == 0 || parts[1].Length == 0)
        {
            return false;
        }

        var query = parts[^1];
        var moduleId = parts.Length == 4 ? parts[2] : null;
        if (moduleId is { Length: 0 })
        {
            return false;
        }

        string? apiVersion = null, modelId = null;
        foreach (var pair in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = equals < 0 ? pair : pair[..equals];
            var value = equals < 0 ? string.Empty : Uri.UnescapeDataString(pair[(equals + 1)..]);
            if (key == "api-version")
            {
                apiVersion = value;
            }
            else if (key == "model-id")
            {
                modelId = value;
            }
        }

        if (string.IsNullOrEmpty(apiVersion))
        {
            return false;
        }

        parsed = new IotHubUsername(parts[0], parts[1], moduleId, string.IsNullOrEmpty(modelId) ? null : modelId);
        return true;
    }
}
