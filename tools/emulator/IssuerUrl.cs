using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Par.Emulator;

/// <summary>
/// The emulator's own URL, the <c>iss</c> of the push tokens it mints. Resolved on first use because with port 0 the real
/// port is known only once Kestrel has bound.
/// </summary>
public sealed class IssuerUrl(EmulatorOptions options, IServer server)
{
    private string? _value;

    public string Value => _value ??= Resolve();

    private string Resolve()
    {
        if (!string.IsNullOrWhiteSpace(options.PublicUrl)) return options.PublicUrl.TrimEnd('/');
        var bound = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("The emulator has not bound an address yet.");
        return bound.TrimEnd('/');
    }
}
