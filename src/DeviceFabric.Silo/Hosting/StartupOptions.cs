using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace DeviceFabric.Silo.Hosting;

/// <summary>
/// Binds and validates options that are needed while the host is still being built (ports, certificates, storage),
/// failing start-up with every problem listed, and registers them for validation on start like every other option.
/// </summary>
internal static class StartupOptions
{
    public static T Bind<T>(IHostApplicationBuilder builder, string sectionName)
        where T : class, new()
    {
        var options = builder.Configuration.GetSection(sectionName).Get<T>() ?? new T();
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
        {
            throw new OptionsValidationException(
                sectionName, typeof(T), results.Select(r => $"{sectionName}: {r.ErrorMessage}"));
        }

        builder.Services.AddOptions<T>().BindConfiguration(sectionName).ValidateDataAnnotations().ValidateOnStart();
        return options;
    }
}
