namespace DeviceFabric.Provisioning;

/// <summary>What a custom allocation webhook picked: a hub's host, and optionally the initial twin and a payload for the device.</summary>
internal sealed record CustomAllocationAnswer(string HubHostName, string? InitialTwinJson, string? PayloadJson);
