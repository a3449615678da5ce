using System.Globalization;

namespace DeviceFabric.Mqtt.Provisioning;

/// <summary>
/// DPS's device topics: a registering device subscribes to <c>$dps/registrations/res/#</c>, sends
/// <c>$dps/registrations/PUT/iotdps-register/?$rid={rid}</c> and polls
/// <c>$dps/registrations/GET/iotdps-get-operationstatus/?$rid={rid}&amp;operationId={id}</c>; every answer is
/// <c>$dps/registrations/res/{status}/?$rid={rid}[&amp;retry-after={seconds}]</c>.
/// </summary>
internal static class DpsTopics
{
    public const string ResponseFilter = "$dps/registrations/res/#";
    private const string RegisterPrefix = "$dps/registrations/PUT/iotdps-register/?";
    private const string PollPrefix = "$dps/registrations/GET/iotdps-get-operationstatus/?";

    /// <summary>What a registering device's PUBLISH asks, with its request id and, for a poll, the operation id.</summary>
    public static DpsRequestKind Classify(string topic, out string? requestId, out string? operationId)
    {
        requestId = operationId = null;
        var kind = topic.StartsWith(RegisterPrefix, StringComparison.Ordinal) ? DpsRequestKind.Register
            : topic.StartsWith(PollPrefix, StringComparison.Ordinal) ? DpsRequestKind.Poll
            : DpsRequestKind.Unknown;
        if (kind == DpsRequestKind.Unknown)
        {
            return kind;
        }

        var query = topic.AsSpan((kind == DpsRequestKind.Register ? RegisterPrefix : PollPrefix).Length);
        foreach (var range in query.Split('&'))
        {
            var pair = query[range];
            var equals = pair.IndexOf('=');
            if (equals <= 0)
            {
                continue;
            }

            var value = Uri.UnescapeDataString(pair[(equals + 1)..].ToString());
            switch (pair[..equals])
            {
                case "$rid": requestId = value; break;
                case "operationId": operationId = value; break;
                default: break;
            }
        }

        return string.IsNullOrEmpty(requestId) || (kind == DpsRequestKind.Poll && string.IsNullOrEmpty(operationId)) ? DpsRequestKind.Unknown : kind;
    }

    /// <summary>The answer's topic: its HTTP-like status, the request id, and when to poll again if it is to.</summary>
    public static string Response(int status, string requestId, TimeSpan? retryAfter) =>
        retryAfter is { } after
            ? string.Create(CultureInfo.InvariantCulture, $"$dps/registrations/res/{status}/?$rid={Uri.EscapeDataString(requestId)}&retry-after={after.TotalSeconds:0.###}")
            : string.Create(CultureInfo.InvariantCulture, $"$dps/registrations/res/{status}/?$rid={Uri.EscapeDataString(requestId)}");
}
