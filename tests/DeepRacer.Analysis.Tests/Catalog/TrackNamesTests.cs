using DeepRacer.Analysis.Catalog;

namespace DeepRacer.Analysis.Tests.Catalog;

public sealed class TrackNamesTests
{
    [Fact]
    public void EveryMappedFileIsShipped_AndEveryShippedFileIsListed()
    {
        var shipped = Directory.GetFiles(Path.Combine(TestSupport.RepoRoot, "tracks"), "*.npy").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal).ToList();

        // Spec 8.6: the 134 track_meta keys plus London_Loop_Train.
        Assert.Equal(135, shipped.Count);
        Assert.Equal(shipped, TrackNames.Files.Order(StringComparer.Ordinal));
        Assert.All(TrackNames.WorldToFile.Values, f => Assert.Contains(f, shipped));
    }

    [Theory]
    [InlineData("reinvent_base", "reinvent_base")]
    [InlineData("Spain_track", "Spain_track")]
    [InlineData("spain_track", "Spain_track")]
    [InlineData("reInvent2019_wide_cw", "reInvent2019_wide_cw")]
    [InlineData("Spain_track_cw", "Spain_track")]
    [InlineData("2022_july_open_ccw", "2022_july_open")]
    [InlineData("Monaco.npy", "Monaco")]
    [InlineData("Spain_track_ccw", null)]
    [InlineData("2022_july_open_cw", null)]
    [InlineData("Nowhere_track", null)]
    [InlineData("", null)]
    public void Resolve(string world, string? file) => Assert.Equal(file, TrackNames.Resolve(world));
}
