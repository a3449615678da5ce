using System.Security.Cryptography.X509Certificates;

namespace DeviceFabric.Security;

/// <summary>
/// Names read from certificates exactly: the subject's one common name (not .NET's "simple name", which falls back to
/// other attributes when there is no CN), and serial numbers compared without the leading zeros tools differ on.
/// </summary>
public static class CertificateNames
{
    private const string CommonNameOid = "2.5.4.3";

    /// <summary>The subject's common name when it has exactly one, else null.</summary>
    public static string? CommonName(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        string? found = null;
        foreach (var rdn in certificate.SubjectName.EnumerateRelativeDistinguishedNames())
        {
            if (rdn.HasMultipleElements || rdn.GetSingleElementType().Value != CommonNameOid)
            {
                continue;
            }

            if (found is not null)
            {
                return null;
            }

            found = rdn.GetSingleElementValue();
        }

        return found;
    }

    /// <summary>
    /// A hex serial number in one form: upper case, without leading zeros (.NET keeps the sign byte of serials whose
    /// high bit is set, OpenSSL prints them without it).
    /// </summary>
    public static string NormalizeSerial(string serial)
    {
        ArgumentNullException.ThrowIfNull(serial);
        var trimmed = serial.TrimStart('0');
        return trimmed.Length == 0 ? "0" : trimmed.ToUpperInvariant();
    }
}
