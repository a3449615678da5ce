using DeviceFabric.Hubs;
using DeviceFabric.Security;
using Microsoft.Extensions.Options;

namespace DeviceFabric.Silo.Hosting;

/// <summary>
/// After the silo starts: makes sure the hub's access policies exist and keeps the owner connection string in
/// <c>{data}/owner-connection-string.txt</c>, readable by the owner only. The string is printed to the console on the
/// run that first writes it, never logged; later runs print only where it is.
/// </summary>
internal sealed class OwnerConnectionString(
    IGrainFactory grains,
    IOptions<HubOptions> hub,
    IOptions<NodeOptions> node,
    CertificateInfo certificates) : IHostedService
{
    public const string FileName = "owner-connection-string.txt";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var policies = await grains.GetGrain<IHubGrain>(hub.Value.Name).GetAccessPoliciesAsync(cancellationToken);
        var owner = policies.First(p => p.KeyName == "iothubowner");
        var connectionString = $"HostName={hub.Value.HostName};SharedAccessKeyName={owner.KeyName};SharedAccessKey={owner.PrimaryKey}";
        var path = Path.Combine(node.Value.DataPath, FileName);
        var isNew = !File.Exists(path) || await File.ReadAllTextAsync(path, cancellationToken) != connectionString;
        if (isNew)
        {
            var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            File.Delete(path);
            await using var writer = new StreamWriter(path, new System.Text.UTF8Encoding(false), options);
            await writer.WriteAsync(connectionString);
        }

        Console.WriteLine(isNew
            ? $"DeviceFabric: owner connection string (saved to {path}):{Environment.NewLine}  {connectionString}"
            : $"DeviceFabric: owner connection string in {path}");
        Console.WriteLine($"DeviceFabric: devices trust the CA at {certificates.CaPath}");
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
