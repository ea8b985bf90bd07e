using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Gateway.Proxy.Hosting;

internal static class OptionsBuilderExtensions
{
    /// <summary>
    /// Checks the options with <typeparamref name="TValidator"/> (registered once, however often this
    /// runs): the proxy's options validators are generated at compile time (<see cref="OptionsValidatorAttribute"/>)
    /// or written by hand, never reflection over data annotations, so they hold in a Native AOT build.
    /// </summary>
    public static OptionsBuilder<TOptions> ValidateWith<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TValidator, TOptions>(this OptionsBuilder<TOptions> builder)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, TValidator>());
        return builder;
    }
}
