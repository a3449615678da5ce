namespace DeviceFabric.Methods;

/// <summary>The time limits every caller of a direct method must allow for.</summary>
public static class MethodTimeouts
{
    /// <summary>The longest a direct-method grain call may take (connect and response timeouts at their maximum), plus a margin.</summary>
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(300 + 300 + 30);
}
