using DeviceFabric.Hubs;
using DeviceFabric.Security;
using Microsoft.Extensions.Options;

namespace DeviceFabric.Silo.Hosting;

/// <summary>
/// After the silo starts: makes sure every hub's access policies exist and keeps each hub's owner connection string in
/// the data directory, readable by the owner only: the default hub's in <c>owner-connection-string.txt</c>, another's in
/// <c>owner-connection-string.{hub}.txt</c>. A string is printed to the console on the run that first writes it, never
/// logged; later runs print only where it is.
/// </summary>
internal sealed class OwnerConnectionString(
    IGrainFactory grains,
    IOptions<HubOptions> hubs,
    IOptions<NodeOptions> node,
    CertificateInfo certificates) : IHostedService
{
    public const string FileName = "owner-connection-string.txt";

    /// <summary>The file that holds <paramref name="hub"/>'s owner connection string.</summary>
    public static string FileNameOf(HubOptions hubs, string hub) =>
        hub == hubs.Default.Name ? FileName : $"owner-connection-string.{hub}.txt";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var hub in hubs.Value.All)
        {
            var policies = await grains.GetGrain<IHubGrain>(hub.Name).GetAccessPoliciesAsync(cancellationToken);
            var owner = policies.First(p => p.KeyName == "iothubowner");
            var connectionString = $"HostName={hub.HostName};SharedAccessKeyName={owner.KeyName};SharedAccessKey={owner.PrimaryKey}";
            var path = Path.Combine(node.Value.DataPath, FileNameOf(hubs.Value, hub.Name));
            var isNew = await SecretFile.SaveAsync(path, connectionString, cancellationToken);
            Console.WriteLine(isNew
                ? $"DeviceFabric: owner connection string of hub {hub.Name} (saved to {DisplayPath.Of(path)}):{Environment.NewLine}  {connectionString}"
                : $"DeviceFabric: owner connection string of hub {hub.Name} in {DisplayPath.Of(path)}");
        }

        Console.WriteLine($"DeviceFabric: devices trust the CA at {DisplayPath.Of(certificates.CaPath)}");
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
