using Par.Emulator.Keys;
using Par.Shared.ControlPlane;

namespace Par.Emulator.Endpoints;

internal static class JwksEndpoints
{
    public static void MapJwks(this WebApplication app) =>
        app.MapGet(PullPaths.Jwks, (ControlPlaneKey key) => Results.Bytes(key.JwksJson, "application/json"));
}
