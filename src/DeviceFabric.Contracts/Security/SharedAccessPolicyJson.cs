namespace DeviceFabric.Contracts.Security;

/// <summary>A hub policy as IoT Hub's management API shows it (<c>SharedAccessSignatureAuthorizationRule</c>).</summary>
public sealed class SharedAccessPolicyJson
{
    /// <summary>The policy name.</summary>
    public string? KeyName { get; set; }

    /// <summary>Base64 primary key; on a write, empty keeps (or generates) it.</summary>
    public string? PrimaryKey { get; set; }

    /// <summary>Base64 secondary key; on a write, empty keeps (or generates) it.</summary>
    public string? SecondaryKey { get; set; }

    /// <summary>The rights, comma separated as IoT Hub writes them: <c>RegistryRead, RegistryWrite, ServiceConnect, DeviceConnect</c>.</summary>
    public string? Rights { get; set; }
}

/// <summary>A list in IoT Hub's management API form.</summary>
/// <typeparam name="T">The item shape.</typeparam>
public sealed class ValueListJson<T>
{
    /// <summary>The items.</summary>
    public List<T> Value { get; set; } = [];
}
