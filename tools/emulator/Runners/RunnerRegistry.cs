using System.Collections.Concurrent;
using Microsoft.IdentityModel.Tokens;
using Par.Shared.Security;

namespace Par.Emulator.Runners;

public sealed record RegisteredRunner(
    string RunnerId, string Name, IReadOnlyList<string> Modes, EcPublicJwk PublicKey, SecurityKey VerificationKey, DateTimeOffset EnrolledAt);

/// <summary>Runners that enrolled, with the public key their JWTs must verify against.</summary>
public sealed class RunnerRegistry(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, RegisteredRunner> _runners = new(StringComparer.Ordinal);
    private volatile RegisteredRunner? _last;

    /// <summary>The runner enrolled most recently: the default target of admin tasks and push tokens.</summary>
    public RegisteredRunner? Last => _last;
    public int Count => _runners.Count;

    /// <exception cref="RunnerKeyException">The PEM is not an EC P-256 public key.</exception>
    public RegisteredRunner Register(string? runnerId, string name, IReadOnlyList<string> modes, string publicKeyPem)
    {
        var jwk = EcPublicJwk.FromPem(publicKeyPem);
        var runner = new RegisteredRunner(
            string.IsNullOrWhiteSpace(runnerId) ? Guid.NewGuid().ToString() : runnerId, name, modes, jwk, jwk.ToSecurityKey(),
            time.GetUtcNow());
        _runners[runner.RunnerId] = runner;
        _last = runner;
        return runner;
    }

    public RegisteredRunner? Find(string? runnerId) => runnerId is not null && _runners.TryGetValue(runnerId, out var r) ? r : null;
}
