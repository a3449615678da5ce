namespace DeviceFabric.Tests.Infrastructure;

/// <summary>
/// Polls a read until it holds, for what the fabric does in the background (configurations reaching twins, imports
/// ending): the condition is the synchronisation, the deadline only bounds a failure.
/// </summary>
internal static class Eventually
{
    public static async Task<T> HoldsAsync<T>(Func<Task<T>> read, Func<T, bool> holds, string what, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var value = await read();
            if (holds(value))
            {
                return value;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Still not so after {(within ?? TimeSpan.FromSeconds(20)).TotalSeconds:0} s: {what} (last read: {value})");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }
}
