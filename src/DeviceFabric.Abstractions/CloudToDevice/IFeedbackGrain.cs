namespace DeviceFabric.CloudToDevice;

/// <summary>A hub's feedback on cloud-to-device messages, kept until a backend app receives it. Key: the hub name.</summary>
[Alias("devicefabric.IFeedbackGrain")]
public interface IFeedbackGrain : IGrainWithStringKey
{
    /// <summary>Adds records; returns once stored.</summary>
    Task AddAsync(IReadOnlyList<FeedbackRecord> records, CancellationToken cancellationToken = default);

    /// <summary>Takes up to <paramref name="max"/> records, oldest first; they are gone once returned.</summary>
    Task<IReadOnlyList<FeedbackRecord>> ReceiveAsync(int max, CancellationToken cancellationToken = default);
}
