using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace DeviceFabric.LoadTest;

/// <summary>
/// The digital twins scenario: a building graph of about <c>--devices</c> twins (sites of 10 buildings of 10 floors of
/// 9 rooms, each level <c>contains</c> the next) built over the digital twins API, then room temperatures patched for
/// <c>--seconds</c> (the operations), then a three-hop MATCH from a site and a COUNT over every room, timed.
/// </summary>
public sealed partial class Scenarios
{
    private const int TwinsConcurrency = 64;

    private async Task<LoadResult> DigitalTwinsAsync(ServerProbe probe, CancellationToken cancellationToken)
    {
        using var http = fabric.CreateHttpClient(256);
        http.BaseAddress = new Uri($"https://{options.Host}:{options.TwinsPort}");
        var ns = $"dtmi:load:{options.DevicePrefix.Replace('-', '_')}{DateTime.UtcNow:HHmmss}";
        var models = string.Join(',', new[] { ("Site", "Building"), ("Building", "Floor"), ("Floor", "Room"), ("Room", null) }.Select(m =>
            "{\"@id\":\"" + ns + ":" + m.Item1 + ";1\",\"@type\":\"Interface\",\"@context\":\"dtmi:dtdl:context;3\",\"contents\":[{\"@type\":\"Property\",\"name\":\"name\",\"schema\":\"string\"}"
            + (m.Item2 is { } child ? ",{\"@type\":\"Relationship\",\"name\":\"contains\",\"target\":\"" + ns + ":" + child + ";1\"}" : ",{\"@type\":\"Property\",\"name\":\"temperature\",\"schema\":\"double\"}") + "]}"));
        await SendAsync(http, HttpMethod.Post, "/models", "[" + models + "]", cancellationToken);

        var sites = Math.Max(1, options.Devices / 1011);
        var twins = new List<(string Id, string Model, string? Parent)>();
        for (var s = 0; s < sites; s++)
        {
            var site = $"site-{s}";
            twins.Add((site, "Site", null));
            for (var b = 0; b < 10; b++)
            {
                var building = $"{site}-b{b}";
                twins.Add((building, "Building", site));
                for (var f = 0; f < 10; f++)
                {
                    var floor = $"{building}-f{f}";
                    twins.Add((floor, "Floor", building));
                    twins.AddRange(Enumerable.Range(0, 9).Select(r => ($"{floor}-r{r}", "Room", (string?)floor)));
                }
            }
        }

        var clock = Stopwatch.StartNew();
        await ForEachAsync(twins, t => SendAsync(http, HttpMethod.Put, $"/digitaltwins/{t.Id}",
            "{\"$metadata\":{\"$model\":\"" + ns + ":" + t.Model + ";1\"},\"name\":\"" + t.Id + "\"" + (t.Model == "Room" ? ",\"temperature\":20.0" : string.Empty) + "}", cancellationToken), "twins", cancellationToken);
        var twinsPerSecond = twins.Count / clock.Elapsed.TotalSeconds;
        clock.Restart();
        var children = twins.Where(t => t.Parent is not null).ToList();
        await ForEachAsync(children, t => SendAsync(http, HttpMethod.Put, $"/digitaltwins/{t.Parent}/relationships/{t.Id}",
            "{\"$targetId\":\"" + t.Id + "\",\"$relationshipName\":\"contains\"}", cancellationToken), "relationships", cancellationToken);
        var relationshipsPerSecond = children.Count / clock.Elapsed.TotalSeconds;

        var rooms = twins.Where(t => t.Model == "Room").Select(t => t.Id).ToArray();
        var operations = new LatencyRecorder(1_000_000);
        using var window = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        window.CancelAfter(options.Duration);
        probe.Restart();
        clock.Restart();
        await Task.WhenAll(Enumerable.Range(0, TwinsConcurrency).Select(async worker =>
        {
            var random = new Random(worker);
            while (!window.IsCancellationRequested)
            {
                var started = Stopwatch.GetTimestamp();
                var value = (18 + random.NextDouble() * 8).ToString("F2", CultureInfo.InvariantCulture);
                try
                {
                    await SendAsync(http, HttpMethod.Patch, $"/digitaltwins/{rooms[random.Next(rooms.Length)]}",
                        "[{\"op\":\"replace\",\"path\":\"/temperature\",\"value\":" + value + "}]", window.Token, "application/json-patch+json");
                    operations.Record(Stopwatch.GetElapsedTime(started));
                }
                catch (OperationCanceledException) when (window.IsCancellationRequested)
                {
                    break;
                }
                catch (HttpRequestException)
                {
                    operations.Error();
                }
            }
        }));
        var seconds = clock.Elapsed.TotalSeconds;

        var match = new LatencyRecorder(100);
        var matchRows = 0;
        for (var i = 0; i < 30; i++)
        {
            var started = Stopwatch.GetTimestamp();
            matchRows = await QueryRowsAsync(http, $"SELECT R FROM DIGITALTWINS MATCH (S)-[:contains]->(B)-[:contains]->(F)-[:contains]->(R) WHERE S.$dtId = 'site-{i % sites}'", cancellationToken);
            match.Record(Stopwatch.GetElapsedTime(started));
        }

        var scan = new LatencyRecorder(10);
        for (var i = 0; i < 5; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await QueryRowsAsync(http, $"SELECT COUNT() FROM DIGITALTWINS WHERE IS_OF_MODEL('{ns}:Room;1') AND temperature > 22", cancellationToken);
            scan.Record(Stopwatch.GetElapsedTime(started));
        }

        var notes = string.Create(CultureInfo.InvariantCulture,
            $"{twins.Count} twins built at {twinsPerSecond:F0}/s, {children.Count} relationships at {relationshipsPerSecond:F0}/s; operations = twin PATCHes (JSON Patch of a room's temperature, {TwinsConcurrency} in flight); "
            + $"3-hop MATCH from a site ({matchRows} rooms): p50 {match.PercentileMs(50):F1} ms, p99 {match.PercentileMs(99):F1} ms over 30; COUNT over every room: p50 {scan.PercentileMs(50):F1} ms over 5");
        return Result("digitaltwins", operations, twins.Count, seconds, probe, probe.ResidentBytes, 0, notes);
    }

    private async Task ForEachAsync<T>(IReadOnlyList<T> items, Func<T, Task> send, string what, CancellationToken cancellationToken)
    {
        var done = 0;
        await Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = TwinsConcurrency, CancellationToken = cancellationToken }, async (item, _) =>
        {
            await send(item);
            if (Interlocked.Increment(ref done) % 5000 == 0)
            {
                progress($"digitaltwins: {done}/{items.Count} {what}");
            }
        });
    }

    private async Task SendAsync(HttpClient http, HttpMethod method, string path, string body, CancellationToken cancellationToken, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(body, Encoding.UTF8, contentType) };
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + fabric.OwnerToken());
        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode && response.StatusCode != System.Net.HttpStatusCode.Conflict)
        {
            throw new HttpRequestException($"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
    }

    private async Task<int> QueryRowsAsync(HttpClient http, string query, CancellationToken cancellationToken)
    {
        var rows = 0;
        string? token = null;
        do
        {
            var body = token is null ? JsonSerializer.Serialize(new Dictionary<string, string> { ["query"] = query }) : JsonSerializer.Serialize(new Dictionary<string, string> { ["continuationToken"] = token });
            using var request = new HttpRequestMessage(HttpMethod.Post, "/query") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + fabric.OwnerToken());
            request.Headers.TryAddWithoutValidation("max-items-per-page", "1000");
            using var response = await http.SendAsync(request, cancellationToken);
            response.EnsureSuccessStatusCode();
            using var page = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            rows += page.RootElement.GetProperty("value").GetArrayLength();
            token = page.RootElement.TryGetProperty("continuationToken", out var next) ? next.GetString() : null;
        }
        while (token is not null);
        return rows;
    }
}
