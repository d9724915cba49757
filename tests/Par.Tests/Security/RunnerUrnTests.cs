using Par.Shared.Security;

namespace Par.Tests.Security;

public class When_a_runner_urn_is_read
{
    [Fact]
    public void Its_parts_are_the_region_org_and_runner()
    {
        var urn = RunnerUrn.Parse("urn:dd:apps:on-prem-runner:us1:1234:0f8e7c1d-runner");
        Assert.Equal(("us1", 1234L, "0f8e7c1d-runner"), (urn.Region, urn.OrgId, urn.RunnerId));
        Assert.Equal("urn:dd:apps:on-prem-runner:us1:1234:0f8e7c1d-runner", urn.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("urn:dd:apps:on-prem-runner:us1:1234")]
    [InlineData("urn:dd:apps:on-prem-runner::1234:r")]
    [InlineData("urn:dd:apps:on-prem-runner:us1:org:r")]
    [InlineData("urn:dd:apps:on-prem-runner:us1:1234:")]
    [InlineData("urn:dd:apps:other:us1:1234:r")]
    public void A_malformed_one_is_refused(string text)
    {
        Assert.False(RunnerUrn.TryParse(text, out _));
        Assert.Throws<FormatException>(() => RunnerUrn.Parse(text));
    }
}
