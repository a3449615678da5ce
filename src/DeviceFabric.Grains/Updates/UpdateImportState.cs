namespace DeviceFabric.Updates;

/// <summary>What an import operation stores. Ids are append only.</summary>
[GenerateSerializer, Alias("devicefabric.UpdateImportState")]
public sealed class UpdateImportState
{
    [Id(0)] public ImportRequest? Request { get; set; }

    [Id(1)] public ImportOperation? Operation { get; set; }
}
