using DeepRacer.Analysis.Analyses;

namespace DeepRacer.Analysis.Tests.Analyses;

public class StatisticsTests
{
    [Theory]
    // Python 3: repr(1.0), repr(10.000000000000004), repr(1e-05), repr(0.0), repr(-30.0), repr(0.1 + 0.2), repr(float('inf'))
    [InlineData(1.0, "1.0")]
    [InlineData(10.000000000000004, "10.000000000000004")]
    [InlineData(1e-05, "1e-05")]
    [InlineData(0.0, "0.0")]
    [InlineData(-30.0, "-30.0")]
    [InlineData(0.1 + 0.2, "0.30000000000000004")]
    [InlineData(double.PositiveInfinity, "inf")]
    public void PythonFloat_IsPythonsRepr(double value, string text) => Assert.Equal(text, Statistics.PythonFloat(value));

    [Fact]
    public void Histogram_EqualValues_NumpyWidensByHalf()
    {
        // numpy.histogram([3, 3, 3], bins=2) -> counts [0, 3], edges [2.5, 3.0, 3.5]
        var (counts, edges) = Statistics.Histogram([3, 3, 3], 2);
        Assert.Equal([0, 3], counts);
        Assert.Equal([2.5, 3.0, 3.5], edges);
    }

    [Fact]
    public void Histogram_MaximumGoesToTheLastBin_OutOfRangeIsDropped()
    {
        // by hand: edges 0, 0.8, 1.6, 2.4, 3.2, 4.0; 0 -> bin 0, 1 -> bin 1, 2 -> bin 2, 3 -> bin 3, 4 -> last bin (right edge included), 5 dropped
        var (counts, _) = Statistics.Histogram([0, 1, 2, 3, 4, 5], 5, (0, 4));
        Assert.Equal([1, 1, 1, 1, 1], counts);
    }

    [Fact]
    public void Std_IsTheSampleStandardDeviation()
    {
        // by hand: mean 2, squared deviations 1 + 0 + 1 = 2, / (3 - 1) = 1 -> 1
        Assert.Equal(1.0, Statistics.Std([1, 2, 3, double.NaN]));
        Assert.True(double.IsNaN(Statistics.Std([5])));
    }
}
