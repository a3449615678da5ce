using System.Text.Json.Nodes;

namespace DeviceFabric.RestClient;

/// <summary>A successful answer: its status, JSON body (null when empty), ETag and continuation token.</summary>
public sealed record RestResponse(int StatusCode, JsonNode? Body, string? ETag, string? ContinuationToken);

/// <summary>What a request may carry besides its body.</summary>
public sealed record RestRequestOptions
{
    /// <summary>The ETag the change applies to (<c>If-Match</c>); <c>*</c> for any.</summary>
    public string? IfMatch { get; init; }

    /// <summary>The continuation token of the page to fetch (<c>x-ms-continuation</c>).</summary>
    public string? ContinuationToken { get; init; }

    /// <summary>The largest page to return (<c>x-ms-max-item-count</c>).</summary>
    public int? MaxItemCount { get; init; }
}

/// <summary>One server-sent event: its id (an offset for the event endpoint), its name and its data.</summary>
public sealed record ServerSentEvent(string? Id, string? Event, string Data);
