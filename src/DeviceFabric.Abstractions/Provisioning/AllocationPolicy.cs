namespace DeviceFabric.Provisioning;

/// <summary>How the provisioning service picks a device's hub among the enrollment's.</summary>
public enum AllocationPolicy
{
    /// <summary>Evenly by each hub's allocation weight; the same registration id always gets the same hub.</summary>
    Hashed,

    /// <summary>The one hub the enrollment names.</summary>
    Static,

    /// <summary>What a webhook answers.</summary>
    Custom,

    /// <summary>The nearest hub; in one fabric every hub is as near, so as <see cref="Hashed"/>.</summary>
    GeoLatency,
}
