using Microsoft.Extensions.Logging;

namespace DeviceFabric.Tests.Infrastructure;

/// <summary>One logged line: who logged it, how loud, what it said and the exception's type, if any.</summary>
internal sealed record ServerLogEntry(string Category, LogLevel Level, string Message, string? Exception = null)
{
    public override string ToString() => $"  {Level} {Category}: {Message}{(Exception is null ? string.Empty : $" ({Exception})")}";
}
