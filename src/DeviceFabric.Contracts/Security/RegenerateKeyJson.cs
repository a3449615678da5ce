namespace DeviceFabric.Contracts.Security;

/// <summary>The body of a <c>regenerateKey</c> request.</summary>
public sealed class RegenerateKeyJson
{
    /// <summary><c>primary</c>, <c>secondary</c> or <c>swap</c>.</summary>
    public string? KeyType { get; set; }
}
