namespace DeviceFabric.Tests.Infrastructure;

/// <summary>
/// Services the tests use but do not start themselves (PostgreSQL, the Node.js Azure SDKs): <c>.ci/run</c> installs
/// them and sets <c>DEVICEFABRIC_REQUIRE_SERVICES=1</c>, so in CI a missing one fails the test; elsewhere it is skipped
/// with the reason.
/// </summary>
internal static class ExternalService
{
    public static string PostgresConnectionString()
    {
        var value = Environment.GetEnvironmentVariable("DEVICEFABRIC_TEST_POSTGRES");
        return string.IsNullOrEmpty(value)
            ? Missing("DEVICEFABRIC_TEST_POSTGRES is not set (a PostgreSQL connection string; .ci/run sets it up).")
            : value;
    }

    public static string NatsUrl()
    {
        var value = Environment.GetEnvironmentVariable("DEVICEFABRIC_TEST_NATS");
        return string.IsNullOrEmpty(value)
            ? Missing("DEVICEFABRIC_TEST_NATS is not set (a NATS server with JetStream; .ci/run starts one).")
            : value;
    }

    public static string Missing(string reason)
    {
        if (Environment.GetEnvironmentVariable("DEVICEFABRIC_REQUIRE_SERVICES") == "1")
        {
            Assert.Fail(reason);
        }

        Assert.Skip(reason);
        return string.Empty;
    }
}
