using System.Net;
using DeviceFabric.Persistence;
using DeviceFabric.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Runtime.Hosting;
using Orleans.Storage;

namespace Orleans.Hosting;

/// <summary>Configures where the silo keeps state and how it finds its peers, for each <see cref="StorageMode"/>.</summary>
public static class StorageExtensions
{
    private const string PostgresInvariant = "Npgsql";

    /// <summary>
    /// Adds the fabric's grain storage, clustering and reminders: a SQLite file in <paramref name="dataDirectory"/> with
    /// localhost clustering on a single node, PostgreSQL for all three in a cluster. Creates the schema when asked to.
    /// </summary>
    public static ISiloBuilder AddDeviceFabricStorage(this ISiloBuilder silo, StorageOptions storage, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(storage);
        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = storage.ClusterId;
            o.ServiceId = storage.ServiceId;
        });

        var connectionString = storage.Mode == StorageMode.Sqlite ? SqliteConnectionString(dataDirectory) : storage.ConnectionString!;

        if (storage.CreateSchema)
        {
            SchemaInstaller.Install(storage.Mode, connectionString);
        }

        // State is stored with Orleans' own version-tolerant serializer: ids, not type names, are the contract.
        if (storage.Mode == StorageMode.Sqlite)
        {
            silo.Services.AddGrainStorage(GrainStorage.Name, (sp, _) =>
                new DeviceFabric.Storage.Sqlite.SqliteGrainStorage(connectionString, ActivatorUtilities.CreateInstance<OrleansGrainStorageSerializer>(sp)));
        }
        else
        {
            const string AdoNetName = GrainStorage.Name + "-adonet";
            silo.AddAdoNetGrainStorage(AdoNetName, options =>
            {
                options.Invariant = PostgresInvariant;
                options.ConnectionString = connectionString;
            });
            silo.Services.AddOptions<AdoNetGrainStorageOptions>(AdoNetName)
                .PostConfigure<IServiceProvider>((o, sp) => o.GrainStorageSerializer = ActivatorUtilities.CreateInstance<OrleansGrainStorageSerializer>(sp));
            silo.Services.AddKeyedSingleton<IGrainStorage>(GrainStorage.Name, (sp, _) =>
                new CopyingGrainStorage(sp.GetRequiredKeyedService<IGrainStorage>(AdoNetName), sp.GetRequiredService<Orleans.Serialization.DeepCopier>()));
        }

        if (storage.Mode == StorageMode.Sqlite)
        {
            silo.UseLocalhostClustering(storage.SiloPort, storage.GatewayPort, serviceId: storage.ServiceId, clusterId: storage.ClusterId);
            silo.UseInMemoryReminderService();
        }
        else
        {
            silo.UseAdoNetClustering(o =>
            {
                o.Invariant = PostgresInvariant;
                o.ConnectionString = connectionString;
            });
            silo.UseAdoNetReminderService(o =>
            {
                o.Invariant = PostgresInvariant;
                o.ConnectionString = connectionString;
            });
            var advertised = string.IsNullOrEmpty(storage.AdvertisedAddress) ? FirstAddress() : IPAddress.Parse(storage.AdvertisedAddress);
            silo.ConfigureEndpoints(advertised, storage.SiloPort, storage.GatewayPort, listenOnAnyHostAddress: true);
        }

        return silo;
    }

    /// <summary>The connection string of the single node's SQLite file in <paramref name="dataDirectory"/>.</summary>
    public static string SqliteConnectionString(string dataDirectory) => new SqliteConnectionStringBuilder
    {
        DataSource = Path.Combine(Path.GetFullPath(dataDirectory), "devicefabric.db"),
        Pooling = true,
        DefaultTimeout = 30,
    }.ToString();

    private static IPAddress FirstAddress() =>
        Dns.GetHostAddresses(Dns.GetHostName()).FirstOrDefault(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))
        ?? IPAddress.Loopback;
}
