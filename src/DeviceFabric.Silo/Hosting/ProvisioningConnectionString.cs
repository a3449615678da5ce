using DeviceFabric.Hubs;
using DeviceFabric.Provisioning;
using Microsoft.Extensions.Options;

namespace DeviceFabric.Silo.Hosting;

/// <summary>
/// After the silo starts: makes sure the provisioning service's ID scope and policies exist and keeps, owner-only in the
/// data directory, its owner connection string (<c>provisioning-connection-string.txt</c>, for the DPS service SDKs) and
/// its ID scope (<c>provisioning-id-scope.txt</c>, for devices). Printed on the run that first writes them, never logged.
/// </summary>
internal sealed class ProvisioningConnectionString(
    IGrainFactory grains,
    IOptions<HubOptions> hubs,
    IOptions<ProvisioningOptions> provisioning,
    IOptions<NodeOptions> node) : IHostedService
{
    public const string FileName = "provisioning-connection-string.txt";
    public const string IdScopeFileName = "provisioning-id-scope.txt";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = await grains.GetGrain<IProvisioningServiceGrain>(IProvisioningServiceGrain.Key).GetSettingsAsync(provisioning.Value.IdScope, cancellationToken);
        var owner = settings.Policies.First(p => p.KeyName == ProvisioningPolicy.Owner);
        var host = provisioning.Value.HostName ?? hubs.Value.Default.HostName;
        var connectionString = $"HostName={host};SharedAccessKeyName={owner.KeyName};SharedAccessKey={owner.PrimaryKey}";
        var path = Path.Combine(node.Value.DataPath, FileName);
        var scopePath = Path.Combine(node.Value.DataPath, IdScopeFileName);
        var isNew = await SecretFile.SaveAsync(path, connectionString, cancellationToken);
        await SecretFile.SaveAsync(scopePath, settings.IdScope, cancellationToken);
        Console.WriteLine(isNew
            ? $"DeviceFabric: provisioning service, ID scope {settings.IdScope} (saved to {DisplayPath.Of(scopePath)}); its owner connection string (saved to {DisplayPath.Of(path)}):{Environment.NewLine}  {connectionString}"
            : $"DeviceFabric: provisioning service, ID scope {settings.IdScope}; its owner connection string in {DisplayPath.Of(path)}");
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
