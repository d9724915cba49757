using System.Text;
using Par.Executor.Credentials;

namespace Par.Executor.Actions.Http;

/// <summary>
/// Last line of defence for error messages and error bodies: servers echo headers back (httpbin does, so do many
/// proxies' error pages), and error text ends up in logs and in the control plane.
/// </summary>
internal sealed class SecretRedactor
{
    public const string Mask = "***";

    // Shorter values (ports, "true") are too common in ordinary text to mask without wrecking messages.
    private const int MinSecretLength = 4;

    public static readonly SecretRedactor None = new([]);

    private readonly string[] _secrets;

    private SecretRedactor(IEnumerable<string> secrets) =>
        _secrets = secrets.Where(s => s.Length >= MinSecretLength).Distinct().OrderByDescending(s => s.Length).ToArray();

    public static SecretRedactor For(Credential? credential) => credential switch
    {
        TokenCredential tokens => new SecretRedactor(tokens.Tokens.Values),
        BasicCredential basic => new SecretRedactor(
            [basic.Password, Convert.ToBase64String(Encoding.UTF8.GetBytes($"{basic.Username}:{basic.Password}"))]),
        _ => None,
    };

    public string Apply(string text)
    {
        foreach (var secret in _secrets)
            text = text.Replace(secret, Mask, StringComparison.Ordinal);
        return text;
    }

    /// <summary>Masks the message; details are built already masked (see <see cref="ResponseOutput"/>).</summary>
    public ActionFailedException Apply(ActionFailedException e) =>
        _secrets.Length == 0 ? e : new ActionFailedException(e.Code, Apply(e.Message), e.Details);
}
