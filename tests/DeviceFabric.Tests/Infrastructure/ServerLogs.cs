using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace DeviceFabric.Tests.Infrastructure;

/// <summary>
/// What a server under test logged at warning level and above: the fabric's own warnings and everyone's errors. A test
/// that provokes a warning says so with <see cref="Expect"/>; anything else fails the owner of the server when it stops
/// (<see cref="AssertNoneUnexpected"/>), so a test cannot pass while the server quietly complains.
/// </summary>
internal sealed class ServerLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<ServerLogEntry> _entries = new();
    private readonly ConcurrentBag<string> _expected = [];

    /// <summary>Allows entries whose message contains <paramref name="fragment"/>.</summary>
    public ServerLogs Expect(string fragment)
    {
        _expected.Add(fragment);
        return this;
    }

    /// <summary>Every entry collected so far.</summary>
    public IReadOnlyList<ServerLogEntry> Entries => [.. _entries];

    /// <summary>
    /// Set when the server begins to stop: from then on, work cancelled by the stop (Orleans' stream agents, say) is not
    /// a complaint.
    /// </summary>
    public bool Stopping { get; set; }

    /// <summary>Records an entry (also used for the console output of a server in another process).</summary>
    public void Record(ServerLogEntry entry)
    {
        if (Stopping && IsStopNoise(entry))
        {
            return;
        }

        if (entry.Level >= LogLevel.Error || (entry.Level >= LogLevel.Warning && entry.Category.StartsWith("DeviceFabric", StringComparison.Ordinal)))
        {
            _entries.Enqueue(entry);
        }
    }

    /// <summary>
    /// Work the stop itself cuts short: cancelled operations, Orleans' own messages to silos that are leaving (a
    /// stream agent's last dequeue, say), and a stopping silo looking for another to move a busy grain to (a lone one
    /// has none; a registry shard answering a configuration count as the stop begins, say), and grain calls a timer
    /// makes once the stopping silo no longer places grains.
    /// </summary>
    private static bool IsStopNoise(ServerLogEntry entry) =>
        entry.Exception is nameof(OperationCanceledException) or nameof(TaskCanceledException) or nameof(SiloUnavailableException)
        || ((entry.Category.StartsWith("Orleans", StringComparison.Ordinal) || entry.Category == "Polly")
            && (entry.Message.Contains(nameof(SiloUnavailableException), StringComparison.Ordinal)
                || entry.Message.StartsWith("Error while selecting a migration destination", StringComparison.Ordinal)
                // A timer's grain calls (an update rollout's count, say) placed while the lone silo has left its own directory.
                || entry.Message.Contains("No active nodes are compatible with grain", StringComparison.Ordinal)
                || entry.Message.StartsWith("Failed to address message", StringComparison.Ordinal)))
        // The memory stream's queue refusing a last batch (the telemetry fan-out's) once its silo is going.
        || (entry.Exception == nameof(OrleansException) && entry.Message.StartsWith("Exception thrown in MemoryAdapterFactory.QueueMessageBatchAsync", StringComparison.Ordinal))
        // The reminder service's periodic read of its table, cut off by the stop (seen under load).
        || (entry.Category == "Orleans.Runtime.ReminderService.LocalReminderService" && entry.Message.StartsWith("Failed to read rows from table", StringComparison.Ordinal));

    /// <summary>Fails with every entry no <see cref="Expect"/> allowed.</summary>
    public void AssertNoneUnexpected(string owner)
    {
        var expected = _expected.ToArray();
        var unexpected = _entries.Where(e => !expected.Any(f => e.Message.Contains(f, StringComparison.Ordinal))).ToList();
        if (unexpected.Count > 0)
        {
            Assert.Fail($"{owner} logged what no test expected:{Environment.NewLine}{string.Join(Environment.NewLine, unexpected)}");
        }
    }

    public ILogger CreateLogger(string categoryName) => new Collector(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Collector(ServerLogs logs, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            logs.Record(new ServerLogEntry(category, logLevel, formatter(state, exception), exception?.GetType().Name));
    }
}
