namespace Par.Shared.Security;

/// <summary>
/// Claims of a push token (single use, scoped): besides iss, aud (the runner URN), iat, exp and jti, it names the one
/// action it allows and, when the action uses one, the connection (an object shaped like <c>ConnectionRef</c>).
/// </summary>
public static class PushTokenClaims
{
    public const string Action = "action";
    public const string Connection = "connection";
}
