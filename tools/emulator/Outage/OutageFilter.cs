using System.Globalization;
using Microsoft.Net.Http.Headers;

namespace Par.Emulator.Outage;

/// <summary>During an outage every pull call answers 503 with Retry-After, before authentication, as a down service would.</summary>
internal sealed class OutageFilter(OutageSwitch outage) : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (outage.Remaining() is not { } left) return next(context);
        var seconds = Math.Max(1, (int)Math.Ceiling(left.TotalSeconds));
        context.HttpContext.Response.Headers[HeaderNames.RetryAfter] = seconds.ToString(CultureInfo.InvariantCulture);
        return ValueTask.FromResult<object?>(
            Problems.Of(StatusCodes.Status503ServiceUnavailable, "Service unavailable", "Simulated outage of the control plane."));
    }
}
