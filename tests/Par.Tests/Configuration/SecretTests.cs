using Par.Shared.Configuration;
using static Par.Tests.Configuration.ConfigTestKit;

namespace Par.Tests.Configuration;

public class When_a_message_could_show_the_private_key
{
    [Theory]
    [InlineData($"privateKey:\n  - {PrivateKey}\n")]
    [InlineData($"privateKey: {{d: {PrivateKey}}}\n")]
    [InlineData($"privateKey: \"{PrivateKey}\nport: 1\n")]
    [InlineData($"privateKey: {PrivateKey}\n  port: 1\n")]
    [InlineData($"privatekey: {PrivateKey}\n")]
    [InlineData($"privateKey: {PrivateKey}\nprivateKey: {PrivateKey}\n")]
    [InlineData($"urn: {PrivateKey}\n")]
    [InlineData($"ddBaseURL: {PrivateKey}\n")]
    [InlineData($"tags: [{PrivateKey}]\n")]
    [InlineData($"{PrivateKey}\n")]
    [InlineData($"{PrivateKey}: x\n")]
    [InlineData($"{PrivateKey}: x\n{PrivateKey}: y\n")]
    [InlineData($"modes: [pull]\nprivateKey: {PrivateKey}\n")]
    public void The_message_never_contains_it(string yaml)
    {
        var message = Problem(yaml);

        Assert.DoesNotContain(PrivateKey, message);
        Assert.DoesNotContain(PrivateKey[^20..], message);
    }

    [Fact]
    public void A_key_that_does_not_look_encoded_is_still_hidden_when_it_is_quoted_elsewhere()
    {
        const string plainSecret = "correct-horse-battery-staple";

        var message = Problem($"privateKey: {plainSecret}\nurn: {plainSecret}\n");

        Assert.DoesNotContain(plainSecret, message);
        Assert.Contains("config/config.yaml:2: key 'urn'", message);
    }

    [Fact]
    public void Printing_the_config_leaves_it_out()
    {
        var text = Parse(PullIdentity + "tags: [env:prod]").ToString();

        Assert.DoesNotContain(PrivateKey, text);
        Assert.Contains("PrivateKey = (secret not shown)", text);
        Assert.Contains("Tags = [env:prod]", text);
    }
}
