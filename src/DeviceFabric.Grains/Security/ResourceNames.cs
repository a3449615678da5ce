using System.Buffers;

namespace DeviceFabric.Security;

/// <summary>The names of policies, certificates and alert rules: 1-64 letters, digits, <c>-</c>, <c>_</c> or <c>.</c>.</summary>
internal static class ResourceNames
{
    private static readonly SearchValues<char> s_characters =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.");

    public static bool IsValid(string? name) =>
        !string.IsNullOrEmpty(name) && name.Length <= 64 && !name.AsSpan().ContainsAnyExcept(s_characters);
}
