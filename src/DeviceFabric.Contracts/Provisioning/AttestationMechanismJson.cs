namespace DeviceFabric.Contracts.Provisioning;

/// <summary>DPS's <c>AttestationMechanism</c>: <c>symmetricKey</c> or <c>x509</c> (<c>tpm</c> is not served).</summary>
public sealed class AttestationMechanismJson
{
    /// <summary><c>symmetricKey</c>, <c>x509</c>, <c>tpm</c> or <c>none</c>.</summary>
    public string? Type { get; set; }

    /// <summary>The keys; left empty, they are generated.</summary>
    public SymmetricKeyAttestationJson? SymmetricKey { get; set; }

    /// <summary>The certificates.</summary>
    public X509AttestationJson? X509 { get; set; }
}
