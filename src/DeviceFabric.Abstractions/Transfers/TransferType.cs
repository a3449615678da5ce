namespace DeviceFabric.Transfers;

/// <summary>What a transfer job does, as IoT Hub's <c>type</c> of <c>POST /jobs/create</c>.</summary>
public enum TransferType
{
    /// <summary>Reads devices from a file in IoT Hub's bulk format into the hub (<c>import</c>).</summary>
    Import,

    /// <summary>Writes the hub's devices to a file in IoT Hub's bulk format (<c>export</c>).</summary>
    Export,

    /// <summary>Beyond IoT Hub: moves devices, with their keys and twins, to another hub of the fabric (<c>migrate</c>).</summary>
    Migrate,
}
