namespace DeviceFabric.Security;

/// <summary>Which key a regeneration replaces, as the az CLI's <c>renew-key --key-type</c>.</summary>
public enum KeyRollover
{
    /// <summary>A new primary key; the secondary stays.</summary>
    Primary,

    /// <summary>A new secondary key; the primary stays.</summary>
    Secondary,

    /// <summary>The primary and secondary trade places; no key stops working.</summary>
    Swap,
}
