namespace DeviceFabric.Security;

/// <summary>
/// Who is making a change, carried to grains in Orleans' request context so audit events can name the caller without
/// every grain method taking it: the REST edge sets the policy name of the caller's token.
/// </summary>
public static class SecurityActor
{
    /// <summary>The request context key.</summary>
    public const string ContextKey = "devicefabric.actor";

    /// <summary>The actor of calls made through the grain client SDK.</summary>
    public const string GrainClient = "grain-client";

    /// <summary>The actor of the fabric's own events (expiry warnings, provisioning).</summary>
    public const string Fabric = "fabric";

    /// <summary>The actor of the current call.</summary>
    public static string Current => RequestContext.Get(ContextKey) as string ?? GrainClient;

    /// <summary>Names the actor of the calls this flow makes from here on.</summary>
    public static void Set(string actor) => RequestContext.Set(ContextKey, actor);
}
