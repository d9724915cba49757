namespace Par.Executor.Credentials;

/// <summary>Reads credentials files from the runner's credentials folder, never from outside it.</summary>
public interface ICredentialStore
{
    /// <summary>Throws <see cref="Actions.ActionFailedException"/> (CREDENTIALS_ERROR) naming the problem.</summary>
    Task<Credential> ReadAsync(string relativePath, CancellationToken cancellationToken);
}
