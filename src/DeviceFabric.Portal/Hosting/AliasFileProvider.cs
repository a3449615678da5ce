using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Primitives;

namespace DeviceFabric.Portal.Hosting;

/// <summary>
/// Shows one file of another provider under a second name: Blazor finds its libraries' JS initializers (Fluent UI's
/// among them) in <c>{ApplicationName}.modules.json</c>, and a host that borrows another application's manifest
/// (the tests' process) has that list under the other application's name.
/// </summary>
internal sealed class AliasFileProvider(IFileProvider inner, string alias, string target) : IFileProvider
{
    public IFileInfo GetFileInfo(string subpath) =>
        string.Equals(subpath.TrimStart('/'), alias, StringComparison.Ordinal) ? inner.GetFileInfo(target) : new NotFoundFileInfo(subpath);

    public IDirectoryContents GetDirectoryContents(string subpath) => NotFoundDirectoryContents.Singleton;

    public IChangeToken Watch(string filter) => NullChangeToken.Singleton;
}
