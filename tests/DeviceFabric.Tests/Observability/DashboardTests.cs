using System.Net;
using DeviceFabric.Tests.Infrastructure;

namespace DeviceFabric.Tests.Observability;

/// <summary>The Orleans dashboard is off unless asked for, and then served at <c>/dashboard</c> behind the operators' rule.</summary>
public sealed class DashboardTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheDashboard_IsServedWhenEnabled_AndAbsentOtherwise()
    {
        await using (var plain = await TestNode.StartAsync())
        {
            using var http = plain.CreateHttpClient(authorization: null);
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/dashboard", Ct)).StatusCode);
        }

        await using var node = await TestNode.StartAsync(settings: new Dictionary<string, string?> { ["DeviceFabric:Observability:Dashboard"] = "true" });
        using var anonymous = node.CreateHttpClient(authorization: null);
        using var page = await anonymous.GetAsync("/dashboard", Ct);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("html", (await page.Content.ReadAsStringAsync(Ct)).ToLowerInvariant(), StringComparison.Ordinal);
    }
}
