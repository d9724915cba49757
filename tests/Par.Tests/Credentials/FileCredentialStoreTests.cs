using System.Text;
using Par.Executor.Actions;
using Par.Executor.Credentials;
using Par.Shared.Contracts;

namespace Par.Tests.Credentials;

/// <summary>A throw-away config folder with a credentials folder inside and a secret-holding file beside it.</summary>
public sealed class CredentialsFolder : IDisposable
{
    public const string OutsideSecret = "outside-S3CRET";

    public CredentialsFolder()
    {
        Root = Directory.CreateTempSubdirectory("par-creds-").FullName;
        Credentials = Directory.CreateDirectory(Path.Combine(Root, "credentials")).FullName;
        Outside = Path.Combine(Root, "outside.json");
        File.WriteAllText(Outside, Token("leak", OutsideSecret));
        Store = new FileCredentialStore(Credentials);
    }

    public string Root { get; }
    public string Credentials { get; }
    public string Outside { get; }
    public FileCredentialStore Store { get; }

    public string Write(string relativePath, string content)
    {
        var path = Path.Combine(Credentials, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    public Task<Credential> ReadAsync(string relativePath) => Store.ReadAsync(relativePath, CancellationToken.None);

    public async Task<ActionFailedException> FailsAsync(string relativePath)
    {
        var error = await Assert.ThrowsAsync<ActionFailedException>(() => ReadAsync(relativePath));
        Assert.Equal(ErrorCodes.CredentialsError, error.Code);
        Assert.Contains(relativePath, error.Message);
        Assert.DoesNotContain(OutsideSecret, error.Message);
        return error;
    }

    public static string Token(string name, string value) =>
        $$"""{"auth_type":"Token Auth","credentials":[{"tokenName":"{{name}}","tokenValue":"{{value}}"}]}""";

    public void Dispose() => Directory.Delete(Root, recursive: true);
}

public sealed class When_a_credentials_file_is_well_formed : IDisposable
{
    private readonly CredentialsFolder _folder = new();

    [Fact]
    public async Task A_token_auth_file_gives_its_tokens()
    {
        _folder.Write("http/api.json", """
            {"auth_type":"Token Auth","credentials":[
              {"tokenName":"apiKey","tokenValue":"k-123"},
              {"tokenName":"port","tokenValue":5432}]}
            """);

        var credential = Assert.IsType<TokenCredential>(await _folder.ReadAsync("http/api.json"));

        Assert.Equal("k-123", credential.Tokens["apiKey"]);
        Assert.Equal("5432", credential.Tokens["port"]);
    }

    [Fact]
    public async Task A_basic_auth_file_gives_its_account()
    {
        _folder.Write("jenkins.json", """{"auth_type":"Basic Auth","credentials":[{"username":"ci","password":"pw-1"}]}""");

        var credential = Assert.IsType<BasicCredential>(await _folder.ReadAsync("jenkins.json"));

        Assert.Equal(("ci", "pw-1"), (credential.Username, credential.Password));
        Assert.DoesNotContain("pw-1", credential.ToString());
    }

    [Fact]
    public async Task A_link_that_stays_inside_the_folder_is_followed()
    {
        // The layout of a Kubernetes secret volume: file -> ..data/file, ..data -> ..2024_timestamp.
        _folder.Write("..2024_01_01/token.json", CredentialsFolder.Token("apiKey", "k8s"));
        Directory.CreateSymbolicLink(Path.Combine(_folder.Credentials, "..data"), "..2024_01_01");
        File.CreateSymbolicLink(Path.Combine(_folder.Credentials, "token.json"), "..data/token.json");

        var credential = Assert.IsType<TokenCredential>(await _folder.ReadAsync("token.json"));

        Assert.Equal("k8s", credential.Tokens["apiKey"]);
    }

    [Fact]
    public async Task The_folder_itself_may_be_reached_through_a_link()
    {
        _folder.Write("a.json", CredentialsFolder.Token("t", "v"));
        var linkedFolder = Path.Combine(_folder.Root, "linked-credentials");
        Directory.CreateSymbolicLink(linkedFolder, _folder.Credentials);

        var credential = await new FileCredentialStore(linkedFolder).ReadAsync("a.json", CancellationToken.None);

        Assert.IsType<TokenCredential>(credential);
    }

    public void Dispose() => _folder.Dispose();
}

public sealed class When_a_credentials_path_tries_to_leave_the_folder : IDisposable
{
    private readonly CredentialsFolder _folder = new();

    [Theory]
    [InlineData("../outside.json")]
    [InlineData("http/../../outside.json")]
    [InlineData("..\\outside.json")]
    [InlineData("..")]
    public async Task Dot_dot_segments_are_refused(string path)
    {
        var error = await _folder.FailsAsync(path);

        Assert.Contains("'..'", error.Message);
    }

    [Fact]
    public async Task An_absolute_path_is_refused()
    {
        var error = await _folder.FailsAsync(_folder.Outside);

        Assert.Contains("absolute", error.Message);
    }

    [Fact]
    public async Task A_file_link_pointing_outside_is_refused()
    {
        File.CreateSymbolicLink(Path.Combine(_folder.Credentials, "innocent.json"), _folder.Outside);

        var error = await _folder.FailsAsync("innocent.json");

        Assert.Contains("link", error.Message);
    }

    [Fact]
    public async Task A_relative_file_link_pointing_outside_is_refused()
    {
        File.CreateSymbolicLink(Path.Combine(_folder.Credentials, "innocent.json"), "../outside.json");

        await _folder.FailsAsync("innocent.json");
    }

    [Fact]
    public async Task A_folder_link_pointing_outside_is_refused()
    {
        var elsewhere = Directory.CreateDirectory(Path.Combine(_folder.Root, "elsewhere")).FullName;
        File.WriteAllText(Path.Combine(elsewhere, "x.json"), CredentialsFolder.Token("leak", CredentialsFolder.OutsideSecret));
        Directory.CreateSymbolicLink(Path.Combine(_folder.Credentials, "team"), elsewhere);

        var error = await _folder.FailsAsync("team/x.json");

        Assert.Contains("'team'", error.Message);
    }

    [Fact]
    public async Task A_chain_of_links_that_ends_outside_is_refused()
    {
        File.CreateSymbolicLink(Path.Combine(_folder.Credentials, "second.json"), _folder.Outside);
        File.CreateSymbolicLink(Path.Combine(_folder.Credentials, "first.json"), "second.json");

        await _folder.FailsAsync("first.json");
    }

    [Fact]
    public async Task A_link_loop_is_refused()
    {
        File.CreateSymbolicLink(Path.Combine(_folder.Credentials, "a.json"), "b.json");
        File.CreateSymbolicLink(Path.Combine(_folder.Credentials, "b.json"), "a.json");

        await _folder.FailsAsync("a.json");
    }

    public void Dispose() => _folder.Dispose();
}

public sealed class When_a_credentials_file_is_unusable : IDisposable
{
    private const string Secret = "do-not-print-me";
    private readonly CredentialsFolder _folder = new();

    [Fact]
    public async Task A_missing_file_is_refused()
    {
        var error = await _folder.FailsAsync("missing.json");

        Assert.Contains("does not exist", error.Message);
    }

    [Fact]
    public async Task A_folder_is_refused()
    {
        Directory.CreateDirectory(Path.Combine(_folder.Credentials, "dir.json"));

        await _folder.FailsAsync("dir.json");
    }

    [Theory]
    [InlineData("")]
    [InlineData("  \n\t ")]
    public async Task An_empty_file_is_refused(string content)
    {
        _folder.Write("empty.json", content);

        var error = await _folder.FailsAsync("empty.json");

        Assert.Contains("empty", error.Message);
    }

    [Fact]
    public async Task A_file_over_one_megabyte_is_refused()
    {
        var json = CredentialsFolder.Token("t", "v");
        _folder.Write("big.json", json + new string(' ', FileCredentialStore.MaxFileBytes + 1 - json.Length));

        var error = await _folder.FailsAsync("big.json");

        Assert.Contains("larger than", error.Message);
    }

    [Fact]
    public async Task A_file_of_exactly_one_megabyte_is_read()
    {
        var json = CredentialsFolder.Token("t", "v");
        _folder.Write("max.json", json + new string(' ', FileCredentialStore.MaxFileBytes - json.Length));

        Assert.IsType<TokenCredential>(await _folder.ReadAsync("max.json"));
    }

    [Theory]
    [InlineData("""{"auth_type":"Token Auth","credentials":[{"tokenName":"k","tokenValue":do-not-print-me}]}""", "not valid JSON")]
    [InlineData("""{"auth_type":"Token Auth","credentials":[{"tokenName":"k","tokenValue":"do-not-print-me"}""", "not valid JSON")]
    [InlineData("""{"auth_type":"OAuth","credentials":[{"tokenName":"k","tokenValue":"do-not-print-me"}]}""", "unknown auth_type \"OAuth\"")]
    [InlineData("""{"credentials":[{"tokenName":"k","tokenValue":"do-not-print-me"}]}""", "auth_type")]
    [InlineData("""{"auth_type":"Token Auth"}""", "credentials")]
    [InlineData("""{"auth_type":"Token Auth","credentials":[]}""", "no tokens")]
    [InlineData("""{"auth_type":"Token Auth","credentials":[{"tokenValue":"do-not-print-me"}]}""", "tokenName")]
    [InlineData("""{"auth_type":"Token Auth","credentials":[{"tokenName":"k","tokenValue":{"v":"do-not-print-me"}}]}""", "tokenValue")]
    [InlineData("""{"auth_type":"Token Auth","credentials":[{"tokenName":"k","tokenValue":"a"},{"tokenName":"k","tokenValue":"do-not-print-me"}]}""", "twice")]
    [InlineData("""{"auth_type":"Basic Auth","credentials":[{"username":"u"}]}""", "password")]
    [InlineData("""{"auth_type":"Basic Auth","credentials":[{"username":"u","password":"do-not-print-me"},{"username":"v","password":"x"}]}""", "exactly one")]
    [InlineData("""["do-not-print-me"]""", "JSON object")]
    public async Task A_malformed_file_is_refused_without_quoting_values(string content, string problem)
    {
        _folder.Write("bad.json", content);

        var error = await _folder.FailsAsync("bad.json");

        Assert.Contains(problem, error.Message);
        Assert.DoesNotContain(Secret, error.Message);
        Assert.DoesNotContain("do-not", error.Message);
    }

    [Fact]
    public async Task An_empty_path_is_refused()
    {
        var error = await Assert.ThrowsAsync<ActionFailedException>(() => _folder.ReadAsync(""));

        Assert.Equal(ErrorCodes.CredentialsError, error.Code);
    }

    [Fact]
    public async Task A_missing_credentials_folder_is_refused()
    {
        var store = new FileCredentialStore(Path.Combine(_folder.Root, "no-such-folder"));

        var error = await Assert.ThrowsAsync<ActionFailedException>(() => store.ReadAsync("a.json", CancellationToken.None));

        Assert.Equal(ErrorCodes.CredentialsError, error.Code);
        Assert.Contains("folder", error.Message);
    }

    public void Dispose() => _folder.Dispose();
}
