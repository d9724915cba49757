using Microsoft.IdentityModel.Tokens;

namespace Par.Shared.Security;

internal static class Base64Url
{
    public static string Encode(ReadOnlySpan<byte> bytes) => Base64UrlEncoder.Encode(bytes.ToArray());

    /// <summary>Null when the text is not base64url, so callers can say which field was bad without echoing it.</summary>
    public static byte[]? TryDecode(string? text)
    {
        if (string.IsNullOrEmpty(text)) return null;
        try
        {
            return Base64UrlEncoder.DecodeBytes(text);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
