using System.Text.Json;
using System.Text.Json.Nodes;
using DeviceFabric.Persistence;
using Microsoft.Extensions.Logging;

namespace DeviceFabric.DigitalTwins;

/// <summary>
/// A hub's DTDL models: a batch is parsed whole against itself and the models already there (<see cref="DtdlParser"/>)
/// and stored only if all of it is valid. Models never change once uploaded; they can be decommissioned, and deleted
/// once no model and no twin uses them. The silos compile the stored models into their <see cref="DigitalTwinModelCache"/>.
/// </summary>
internal sealed partial class DigitalTwinModelsGrain(
    [PersistentState("dtmodels", GrainStorage.Name)] IPersistentState<DigitalTwinModelsState> state,
    Hosting.GrainClock clock,
    ILogger<DigitalTwinModelsGrain> logger) : Grain, IDigitalTwinModelsGrain
{
    public const int MaxModels = 10_000;
    private const int MaxBatch = 250;

    private Dictionary<string, DtdlInterface> _compiled = new(StringComparer.Ordinal);

    /// <summary>What silos read: the models as last stored, never a write still in flight.</summary>
    private DigitalTwinModelsState _published = new();

    private string Hub => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _compiled = DigitalTwinModelCache.Compile(state.State.Models.Values.Select(m => m.Json));
        _published = state.State;
        return Task.CompletedTask;
    }

    public async Task<IReadOnlyList<DigitalTwinModelData>> AddAsync(string modelsJson, CancellationToken cancellationToken = default)
    {
        JsonArray batch;
        try
        {
            batch = JsonNode.Parse(modelsJson, documentOptions: new JsonDocumentOptions { MaxDepth = 64 }) as JsonArray
                ?? throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, "The body is an array of DTDL interfaces.");
        }
        catch (JsonException ex)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, $"The body is not JSON: {ex.Message}");
        }

        if (batch.Count is 0 or > MaxBatch)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, $"A batch holds 1-{MaxBatch} models.");
        }

        if (state.State.Models.Count + batch.Count > MaxModels)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.ArgumentInvalid, $"An instance holds at most {MaxModels} models.");
        }

        foreach (var id in batch.Select(m => (m as JsonObject)?["@id"]).OfType<JsonValue>().Select(v => v.TryGetValue<string>(out var text) ? text : null))
        {
            if (id is not null && state.State.Models.ContainsKey(id))
            {
                throw new DeviceFabricException(DeviceFabricErrorCode.ModelAlreadyExists, $"Model {id} is already uploaded.");
            }
        }

        IReadOnlyList<DtdlInterface> parsed;
        try
        {
            parsed = DtdlParser.ParseBatch(batch, id => _compiled.GetValueOrDefault(id));
        }
        catch (DeviceFabricException ex) when (ex.Code == DeviceFabricErrorCode.ArgumentInvalid)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.DtdlParserError, ex.Message);
        }

        var now = clock.Time.GetUtcNow();
        await SaveAsync(models =>
        {
            foreach (var model in parsed)
            {
                models[model.Id] = new StoredModel(model.Json, now, Decommissioned: false);
            }
        }, cancellationToken);
        foreach (var model in parsed)
        {
            _compiled[model.Id] = model;
        }

        LogUploaded(logger, Hub, parsed.Count);
        return [.. parsed.Select(m => Data(m.Id, includeDefinition: false))];
    }

    public Task<DigitalTwinModelData> GetAsync(string id, bool includeDefinition, CancellationToken cancellationToken = default) =>
        state.State.Models.ContainsKey(id) ? Task.FromResult(Data(id, includeDefinition)) : throw NotFound(id);

    public Task<IReadOnlyList<DigitalTwinModelData>> ListAsync(IReadOnlyList<string>? dependenciesFor, bool includeDefinition, CancellationToken cancellationToken = default)
    {
        IEnumerable<string> ids = state.State.Models.Keys;
        if (dependenciesFor is { Count: > 0 })
        {
            // The models asked for and everything they need, transitively.
            var wanted = new HashSet<string>(StringComparer.Ordinal);
            var pending = new Stack<string>(dependenciesFor);
            while (pending.TryPop(out var id))
            {
                if (!_compiled.TryGetValue(id, out var model))
                {
                    throw NotFound(id);
                }

                if (wanted.Add(id))
                {
                    foreach (var dependency in model.Dependencies)
                    {
                        pending.Push(dependency);
                    }
                }
            }

            ids = wanted;
        }

        return Task.FromResult<IReadOnlyList<DigitalTwinModelData>>([.. ids.Order(StringComparer.Ordinal).Select(id => Data(id, includeDefinition))]);
    }

    public async Task DecommissionAsync(string id, CancellationToken cancellationToken = default)
    {
        if (!state.State.Models.TryGetValue(id, out var model))
        {
            throw NotFound(id);
        }

        if (!model.Decommissioned)
        {
            await SaveAsync(models => models[id] = model with { Decommissioned = true }, cancellationToken);
            LogChanged(logger, Hub, id, "decommissioned");
        }
    }

    public async Task DeleteAsync(string id, CancellationToken cancellationToken = default)
    {
        if (!state.State.Models.ContainsKey(id))
        {
            throw NotFound(id);
        }

        if (_compiled.Values.FirstOrDefault(m => m.Id != id && (m.Dependencies.Contains(id) || m.Relationships.Values.Any(r => r.Target == id))) is { } user)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.ModelReferencesNotDeleted, $"Model {id} is used by model {user.Id}; delete that first.");
        }

        var twins = await DigitalTwinIndex.CountOfModelAsync(GrainFactory, Hub, id, cancellationToken);
        if (twins > 0)
        {
            throw new DeviceFabricException(DeviceFabricErrorCode.ModelReferencesNotDeleted, $"Model {id} is used by {twins} twins; delete them first.");
        }

        await SaveAsync(models => models.Remove(id), cancellationToken);
        _compiled.Remove(id);
        LogChanged(logger, Hub, id, "deleted");
    }

    public Task<DigitalTwinModelSnapshot> GetSnapshotAsync(long knownVersion, CancellationToken cancellationToken = default)
    {
        var published = _published;
        var decommissioned = published.Models.Where(m => m.Value.Decommissioned).Select(m => m.Key).ToList();
        return Task.FromResult(new DigitalTwinModelSnapshot(
            published.Version, knownVersion == published.Version ? null : [.. published.Models.Values.Select(m => m.Json)], decommissioned));
    }

    private DigitalTwinModelData Data(string id, bool includeDefinition)
    {
        var stored = state.State.Models[id];
        var compiled = _compiled.GetValueOrDefault(id);
        return new DigitalTwinModelData(
            id,
            compiled?.DisplayName ?? new Dictionary<string, string>(),
            compiled?.Description ?? new Dictionary<string, string>(),
            stored.UploadTime,
            stored.Decommissioned,
            includeDefinition ? stored.Json : null);
    }

    /// <summary>Stores a new state object, so a failed write leaves the previous one in place.</summary>
    private async Task SaveAsync(Action<Dictionary<string, StoredModel>> change, CancellationToken cancellationToken)
    {
        var previous = state.State;
        var models = new Dictionary<string, StoredModel>(previous.Models, StringComparer.Ordinal);
        change(models);
        state.State = new DigitalTwinModelsState { Models = models, Version = previous.Version + 1 };
        try
        {
            await state.WriteStateAsync(cancellationToken);
        }
        catch
        {
            // The version a failed write used is not used again, so no silo holds two catalogs of one version.
            previous.Version++;
            state.State = previous;
            DeactivateOnIdle();
            throw;
        }

        _published = state.State;
    }

    private static DeviceFabricException NotFound(string id) => new(DeviceFabricErrorCode.ModelNotFound, $"Model {id} not found.");

    [LoggerMessage(Level = LogLevel.Information, Message = "Digital twin models of {Hub}: {Count} uploaded")]
    private static partial void LogUploaded(ILogger logger, string hub, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Digital twin model {Hub}/{Id} {What}")]
    private static partial void LogChanged(ILogger logger, string hub, string id, string what);
}
