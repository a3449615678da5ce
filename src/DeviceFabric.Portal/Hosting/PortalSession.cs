using System.Security.Cryptography.X509Certificates;
using DeviceFabric.RestClient;

namespace DeviceFabric.Portal.Hosting;

/// <summary>
/// The signed-in operator of one browser circuit: the connection string they gave and the REST clients signed with
/// it. Scoped to the circuit, so the key lives only in server memory for as long as the tab does; it is never written
/// to the browser (no cookie, no storage), and a reload signs the operator out.
/// </summary>
public sealed class PortalSession(PortalBackend backend, Microsoft.Extensions.Hosting.IHostApplicationLifetime lifetime) : IDisposable
{
    private FabricRestClient? _rest;
    private FabricRestClient? _digitalTwins;
    private FabricRestClient? _provisioning;

    /// <summary>Raised when the operator signs in or out.</summary>
    public event Action? Changed;

    /// <summary>Cancelled when the node stops: pages' timers and streams end then, not when the circuit is finally dropped.</summary>
    public CancellationToken Stopping => lifetime.ApplicationStopping;

    /// <summary>Whether a provisioning service connection string was given.</summary>
    public bool HasProvisioning => _provisioning is not null;

    /// <summary>Whether a connection string was accepted.</summary>
    public bool IsSignedIn => _rest is not null;

    /// <summary>The signed-in policy's name.</summary>
    public string PolicyName => _rest?.Login.SharedAccessKeyName ?? string.Empty;

    /// <summary>The hub (or provisioning service) the connection string names.</summary>
    public string HubName => _rest?.Login.Host ?? string.Empty;

    /// <summary>The hub's instance name, as Device Update's paths take it: the hub's name, which the node resolves from the host.</summary>
    public string InstanceName => _rest is null ? string.Empty : backend.HubOf(HubName);

    /// <summary>The client of the hub's REST API, signed with the operator's connection string.</summary>
    public FabricRestClient Rest => _rest ?? throw new InvalidOperationException("Nobody is signed in.");

    /// <summary>The client of the digital twins API, or null when the node has it off.</summary>
    public FabricRestClient? DigitalTwins => _digitalTwins ??= backend.DigitalTwinsAddress is { } address ? Rest.For(address, bearer: true) : null;

    /// <summary>The client for enrollments: the provisioning connection string's when one was given, else the hub's.</summary>
    public FabricRestClient Provisioning => _provisioning ?? Rest;

    /// <summary>
    /// Checks <paramref name="connectionString"/> against the node (a read any service policy may make) and keeps it
    /// when accepted; otherwise returns why not.
    /// </summary>
    public async Task<string?> SignInAsync(string connectionString, CancellationToken cancellationToken)
    {
        var (client, error) = await ConnectAsync(connectionString, s_probes, cancellationToken);
        if (client is null)
        {
            return error;
        }

        SignOut();
        _rest = client;
        Changed?.Invoke();
        return null;
    }

    /// <summary>Keeps a provisioning service connection string for the enrollments pages, once the node accepts it.</summary>
    public async Task<string?> UseProvisioningAsync(string connectionString, CancellationToken cancellationToken)
    {
        var (client, error) = await ConnectAsync(connectionString, [s_probes[^1]], cancellationToken);
        if (client is null)
        {
            return error;
        }

        _provisioning?.Dispose();
        _provisioning = client;
        return null;
    }

    /// <summary>Forgets the connection strings.</summary>
    public void SignOut()
    {
        var was = IsSignedIn;
        Dispose();
        (_rest, _digitalTwins, _provisioning) = (null, null, null);
        if (was)
        {
            Changed?.Invoke();
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _rest?.Dispose();
        _digitalTwins?.Dispose();
        _provisioning?.Dispose();
    }

    private async Task<(FabricRestClient? Client, string? Error)> ConnectAsync(string text, (HttpMethod Method, string Path)[] probes, CancellationToken cancellationToken)
    {
        if (!ServiceConnectionString.TryParse(text, out var login, out var parseError))
        {
            return (null, parseError);
        }

        if (login.SharedAccessKeyName is null)
        {
            return (null, "This is a device's connection string: sign in with a policy's (SharedAccessKeyName=...).");
        }

        var client = new FabricRestClient(login, backend.RestAddress, LoadCa());
        // Policies hold different rights: the first probe a policy may make proves the key (a wrong one is refused by all).
        FabricRestException? refusal = null;
        foreach (var (method, path) in probes)
        {
            try
            {
                await client.SendAsync(method, path, method == HttpMethod.Post ? new System.Text.Json.Nodes.JsonObject { ["query"] = "*" } : null, null, cancellationToken);
                return (client, null);
            }
            catch (FabricRestException e)
            {
                refusal ??= e;
            }
            catch (HttpRequestException e)
            {
                client.Dispose();
                return (null, $"NodeUnreachable: {e.Message}");
            }
        }

        client.Dispose();
        return (null, $"{refusal!.ErrorCode}: {refusal.Message}");
    }

    private static readonly (HttpMethod Method, string Path)[] s_probes =
    [
        (HttpMethod.Get, "statistics/devices"),
        (HttpMethod.Get, "messages/events/partitions"),
        (HttpMethod.Post, "enrollments/query"),
    ];

    private X509Certificate2? LoadCa() =>
        File.Exists(backend.CaPath) ? X509CertificateLoader.LoadCertificateFromFile(backend.CaPath) : null;
}
