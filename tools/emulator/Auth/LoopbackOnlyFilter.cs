using System.Net;

namespace Par.Emulator.Auth;

/// <summary>The admin API has no authentication: by default only callers on the same host may use it.</summary>
internal sealed class LoopbackOnlyFilter(EmulatorOptions options) : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var remote = context.HttpContext.Connection.RemoteIpAddress;
        if (options.AdminLoopbackOnly && remote is not null && !IPAddress.IsLoopback(remote))
            return ValueTask.FromResult<object?>(Problems.Of(StatusCodes.Status403Forbidden, "Forbidden", "The admin API answers loopback callers only."));
        return next(context);
    }
}
