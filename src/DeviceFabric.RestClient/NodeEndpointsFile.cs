using System.Text.Json;
using System.Text.Json.Serialization;

namespace DeviceFabric.RestClient;

/// <summary>
/// Where a running node can be reached, as it writes it to <c>endpoints.json</c> in its data directory at each start:
/// tools on the same machine (the CLI) find the node from the data directory alone.
/// </summary>
public sealed record NodeEndpointsFile(
    [property: JsonPropertyName("https")] Uri Https,
    [property: JsonPropertyName("digitalTwins")] Uri? DigitalTwins,
    [property: JsonPropertyName("portal")] Uri? Portal,
    [property: JsonPropertyName("mqttTlsPort")] int MqttTlsPort)
{
    /// <summary>The file's name in the data directory.</summary>
    public const string FileName = "endpoints.json";

    /// <summary>Reads the file of <paramref name="dataDirectory"/>, or null if there is none (no node ran there).</summary>
    public static NodeEndpointsFile? Read(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, FileName);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(path), NodeEndpointsJsonContext.Default.NodeEndpointsFile);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Writes the file whole (a reader never sees half of it).</summary>
    public void Write(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, FileName);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(this, NodeEndpointsJsonContext.Default.NodeEndpointsFile));
        File.Move(temporary, path, overwrite: true);
    }
}

/// <summary>Source-generated JSON metadata of <see cref="NodeEndpointsFile"/>.</summary>
[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(NodeEndpointsFile))]
internal sealed partial class NodeEndpointsJsonContext : JsonSerializerContext;
