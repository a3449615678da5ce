namespace DeviceFabric.CloudToDevice;

/// <summary>What a feedback grain stores.</summary>
[GenerateSerializer, Alias("devicefabric.FeedbackState")]
public sealed class FeedbackState
{
    [Id(0)] public List<FeedbackRecord> Records { get; set; } = [];
}
