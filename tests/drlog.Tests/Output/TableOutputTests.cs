using DrLog.Output;

namespace DrLog.Tests.Output;

public class TableOutputTests
{
    [Theory]
    [InlineData(0.0003, "0.0003")]        // the policy table's learning rate, once printed as 0
    [InlineData(0.000123456, "0.000123")]
    [InlineData(-0.0456789, "-0.0457")]
    [InlineData(0.1234567, "0.123")]
    [InlineData(12.19512, "12.195")]
    [InlineData(124.6, "124.6")]
    [InlineData(0.0, "0")]
    public void Short_KeepsThreeDecimalsAndThreeSignificantDigits(double value, string expected) =>
        Assert.Equal(expected, TableOutput.Short(value));
}
