namespace DeviceFabric.Security;

/// <summary>What a <see cref="KeyRollover"/> does to a primary and secondary key, wherever keys are kept.</summary>
public static class KeyRolloverExtensions
{
    /// <summary>
    /// The keys after the rollover: a new primary or secondary from <paramref name="generate"/>, or the two swapped.
    /// Throws <see cref="DeviceFabricErrorCode.ArgumentInvalid"/> for a value that names no rollover.
    /// </summary>
    public static (string Primary, string Secondary) Apply(this KeyRollover rollover, string primary, string secondary, Func<string> generate)
    {
        ArgumentNullException.ThrowIfNull(generate);
        return rollover switch
        {
            KeyRollover.Primary => (generate(), secondary),
            KeyRollover.Secondary => (primary, generate()),
            KeyRollover.Swap => (secondary, primary),
            _ => throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, "keyType must be primary, secondary or swap."),
        };
    }

    /// <summary>The rollover in words, for audit events: <c>primary key regenerated</c>, <c>primary and secondary keys swapped</c>.</summary>
    public static string Describe(this KeyRollover rollover) =>
        rollover == KeyRollover.Swap ? "primary and secondary keys swapped" : $"{rollover.ToString().ToLowerInvariant()} key regenerated";
}
