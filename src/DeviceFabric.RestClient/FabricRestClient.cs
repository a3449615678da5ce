using System.Net.Http.Headers;
using System.Net.Security;
using System.Runtime.CompilerServices;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;

namespace DeviceFabric.RestClient;

/// <summary>
/// A client of the node's REST API, signed with a policy's connection string: each request carries a SAS token made
/// from it (renewed before it expires), answers are JSON, and refusals become <see cref="FabricRestException"/>
/// with IoT Hub's error code. The CLI and the portal both speak to the node through it, so both are held to exactly
/// the rights the REST API grants the policy.
/// </summary>
public sealed class FabricRestClient : IDisposable
{
    private static readonly TimeSpan s_tokenLifetime = TimeSpan.FromHours(1);
    private readonly HttpClient _http;
    private readonly TimeProvider _clock;
    private readonly bool _bearer;
    private readonly Lock _tokenLock = new();
    private string? _token;
    private DateTimeOffset _tokenRenewAt;

    /// <summary>
    /// Creates a client of <paramref name="baseAddress"/>. <paramref name="trustedCa"/>, when given, is the one
    /// authority the node's certificate must chain to (the node's development CA); otherwise the system's trust applies.
    /// <paramref name="bearer"/> sends the token as <c>Bearer</c> (the digital twins API's way).
    /// </summary>
    public FabricRestClient(ServiceConnectionString login, Uri baseAddress, X509Certificate2? trustedCa = null, TimeProvider? clock = null, bool bearer = false)
    {
        ArgumentNullException.ThrowIfNull(login);
        ArgumentNullException.ThrowIfNull(baseAddress);
        Login = login;
        BaseAddress = baseAddress;
        _clock = clock ?? TimeProvider.System;
        _bearer = bearer;
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        if (trustedCa is not null)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) => ChainsTo(certificate, trustedCa, errors);
        }

        TrustedCa = trustedCa;
        _http = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>The connection string requests are signed with.</summary>
    public ServiceConnectionString Login { get; }

    /// <summary>The node's REST address.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The authority the node's certificate must chain to, if one was given.</summary>
    public X509Certificate2? TrustedCa { get; }

    /// <summary>A client of another of the node's listeners (the digital twins API), signed the same way.</summary>
    public FabricRestClient For(Uri baseAddress, bool bearer) => new(Login, baseAddress, TrustedCa, _clock, bearer);

    /// <summary>GETs <paramref name="path"/> and returns its JSON body.</summary>
    public async Task<JsonNode?> GetAsync(string path, CancellationToken cancellationToken = default) =>
        (await SendAsync(HttpMethod.Get, path, null, null, cancellationToken).ConfigureAwait(false)).Body;

    /// <summary>PUTs <paramref name="body"/> to <paramref name="path"/>.</summary>
    public async Task<JsonNode?> PutAsync(string path, JsonNode? body, string? ifMatch = null, CancellationToken cancellationToken = default) =>
        (await SendAsync(HttpMethod.Put, path, body, new RestRequestOptions { IfMatch = ifMatch }, cancellationToken).ConfigureAwait(false)).Body;

    /// <summary>PATCHes <paramref name="path"/> with <paramref name="body"/>.</summary>
    public async Task<JsonNode?> PatchAsync(string path, JsonNode? body, string? ifMatch = null, CancellationToken cancellationToken = default) =>
        (await SendAsync(HttpMethod.Patch, path, body, new RestRequestOptions { IfMatch = ifMatch }, cancellationToken).ConfigureAwait(false)).Body;

    /// <summary>POSTs <paramref name="body"/> to <paramref name="path"/>.</summary>
    public async Task<JsonNode?> PostAsync(string path, JsonNode? body, CancellationToken cancellationToken = default) =>
        (await SendAsync(HttpMethod.Post, path, body, null, cancellationToken).ConfigureAwait(false)).Body;

    /// <summary>DELETEs <paramref name="path"/> (any ETag unless one is given).</summary>
    public async Task DeleteAsync(string path, string? ifMatch = "*", CancellationToken cancellationToken = default) =>
        await SendAsync(HttpMethod.Delete, path, null, new RestRequestOptions { IfMatch = ifMatch }, cancellationToken).ConfigureAwait(false);

    /// <summary>Sends a JSON request and returns the whole answer; a refusal throws <see cref="FabricRestException"/>.</summary>
    public Task<RestResponse> SendAsync(HttpMethod method, string path, JsonNode? body, RestRequestOptions? options, CancellationToken cancellationToken = default) =>
        SendContentAsync(method, path, body is null ? null : new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"), options, cancellationToken);

    /// <summary>Sends any content (a file upload) and returns the answer.</summary>
    public async Task<RestResponse> SendContentAsync(HttpMethod method, string path, HttpContent? content, RestRequestOptions? options, CancellationToken cancellationToken = default)
    {
        using var request = Request(method, path, options);
        request.Content = content;
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw RestErrors.From(response, text);
        }

        var json = string.IsNullOrWhiteSpace(text) ? null : JsonNode.Parse(text);
        var continuation = response.Headers.TryGetValues("x-ms-continuation", out var values) ? values.FirstOrDefault() : null;
        return new RestResponse((int)response.StatusCode, json, response.Headers.ETag?.Tag, string.IsNullOrEmpty(continuation) ? null : continuation);
    }

    /// <summary>
    /// Reads a <c>text/event-stream</c> answer (the event endpoint) event by event until the caller stops or the node
    /// ends it. <paramref name="lastEventId"/> resumes after that event.
    /// </summary>
    public async IAsyncEnumerable<ServerSentEvent> StreamAsync(string path, string? lastEventId = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var request = Request(HttpMethod.Get, path, null);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is not null)
        {
            request.Headers.TryAddWithoutValidation("Last-Event-ID", lastEventId);
        }

        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw RestErrors.From(response, await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
        }

        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), Encoding.UTF8);
        await foreach (var item in ServerSentEvents.ReadAsync(reader, cancellationToken).ConfigureAwait(false))
        {
            yield return item;
        }
    }

    /// <summary>A fresh token for this client's hub (what <c>generate-sas-token</c> and curl users need).</summary>
    public string CreateToken(TimeSpan lifetime) => Login.CreateToken(lifetime, _clock.GetUtcNow());

    /// <inheritdoc/>
    public void Dispose() => _http.Dispose();

    private HttpRequestMessage Request(HttpMethod method, string path, RestRequestOptions? options)
    {
        var request = new HttpRequestMessage(method, path);
        var token = Token();
        request.Headers.TryAddWithoutValidation("Authorization", _bearer ? "Bearer " + token : token);
        if (options?.IfMatch is { } etag)
        {
            request.Headers.TryAddWithoutValidation("If-Match", etag == "*" || etag.StartsWith('"') || etag.StartsWith("W/", StringComparison.Ordinal) ? etag : $"\"{etag}\"");
        }

        if (options?.ContinuationToken is { } continuation)
        {
            request.Headers.TryAddWithoutValidation("x-ms-continuation", continuation);
        }

        if (options?.MaxItemCount is { } max)
        {
            request.Headers.TryAddWithoutValidation("x-ms-max-item-count", max.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return request;
    }

    private string Token()
    {
        lock (_tokenLock)
        {
            var now = _clock.GetUtcNow();
            if (_token is null || now >= _tokenRenewAt)
            {
                _token = Login.CreateToken(s_tokenLifetime, now);
                _tokenRenewAt = now + (s_tokenLifetime / 2);
            }

            return _token;
        }
    }

    private static bool ChainsTo(X509Certificate? certificate, X509Certificate2 authority, SslPolicyErrors errors)
    {
        if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = new X509Certificate2(certificate);
        // The name was checked by the handler already; only the chain is judged here, against the node's own CA.
        return (errors & SslPolicyErrors.RemoteCertificateNameMismatch) == 0 && chain.Build(leaf);
    }
}
