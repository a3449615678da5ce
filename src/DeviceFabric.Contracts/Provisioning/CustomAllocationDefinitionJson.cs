namespace DeviceFabric.Contracts.Provisioning;

/// <summary>The webhook a custom allocation policy asks.</summary>
public sealed class CustomAllocationDefinitionJson
{
    /// <summary>An absolute http(s) URL.</summary>
    public string? WebhookUrl { get; set; }

    /// <summary>The API version the webhook is sent.</summary>
    public string? ApiVersion { get; set; }
}
