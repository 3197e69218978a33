using DeepRacer.Analysis.Catalog;

namespace DeepRacer.Analysis.Tests.Catalog;

public sealed class CatalogTracksTests
{
    // Directions from spec 8.6: Spain_track runs clockwise, 2022_july_open counter-clockwise; neither has direction files.
    [Theory]
    [InlineData("reinvent_base", "reinvent_base")]
    [InlineData("Spain_track", "Spain_track")]
    [InlineData("spain_track", "Spain_track")]
    [InlineData("reInvent2019_wide_cw", "reInvent2019_wide_cw")]
    [InlineData("Spain_track_cw", "Spain_track")]
    [InlineData("2022_july_open_ccw", "2022_july_open")]
    [InlineData("Monaco.npy", "Monaco")]
    [InlineData("Circuit de Barcelona-Catalunya", "Spain_track")]
    [InlineData("Spain_track_ccw", null)]
    [InlineData("2022_july_open_cw", null)]
    [InlineData("Nowhere_track", null)]
    [InlineData("", null)]
    public void Resolve(string world, string? file) => Assert.Equal(file, CatalogTracks.Resolve(world));
}
