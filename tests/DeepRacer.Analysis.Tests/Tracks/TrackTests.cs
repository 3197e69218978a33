using System.Text;
using DeepRacer.Analysis.Tracks;

namespace DeepRacer.Analysis.Tests.Tracks;

// Expected values were computed with python3 (struct + ast, no numpy) straight from the bytes of tracks/*.npy:
// rows from the header's shape, length = sum of hypot(centre[i+1] - centre[i]), width = hypot(outer - inner),
// direction = sign of the shoelace area of the centre line (zero area = straight open track).
public class TrackTests
{
    public static TheoryData<string, int, double, double, TrackDirection> AllShippedTracks => new()
    {
        { "2022_april_open", 169, 50.300488720, 1.066799953, TrackDirection.CounterClockwise },
        { "2022_april_open_ccw", 170, 50.281277199, 1.066799806, TrackDirection.CounterClockwise },
        { "2022_april_open_cw", 170, 50.281277199, 1.066799807, TrackDirection.Clockwise },
        { "2022_april_pro", 226, 67.457646687, 1.066800018, TrackDirection.CounterClockwise },
        { "2022_april_pro_ccw", 227, 67.442789535, 1.066800461, TrackDirection.CounterClockwise },
        { "2022_april_pro_cw", 227, 67.442789535, 1.066800463, TrackDirection.Clockwise },
        { "2022_august_open", 146, 43.312330993, 1.066800023, TrackDirection.CounterClockwise },
        { "2022_august_open_ccw", 147, 43.305201078, 1.066797352, TrackDirection.CounterClockwise },
        { "2022_august_open_cw", 147, 43.305201078, 1.066792773, TrackDirection.Clockwise },
        { "2022_august_pro", 214, 63.880275359, 1.066800038, TrackDirection.CounterClockwise },
        { "2022_august_pro_ccw", 215, 63.863616492, 1.066799921, TrackDirection.CounterClockwise },
        { "2022_august_pro_cw", 215, 63.863616492, 1.066801257, TrackDirection.Clockwise },
        { "2022_july_open", 135, 40.204252030, 1.066798471, TrackDirection.CounterClockwise },
        { "2022_july_pro", 194, 57.889297445, 1.066788033, TrackDirection.CounterClockwise },
        { "2022_july_pro_ccw", 195, 57.862136774, 1.066788094, TrackDirection.CounterClockwise },
        { "2022_july_pro_cw", 195, 57.862136774, 1.066788093, TrackDirection.Clockwise },
        { "2022_june_open", 139, 41.276489083, 1.066800005, TrackDirection.CounterClockwise },
        { "2022_june_open_ccw", 140, 41.261181936, 1.066800103, TrackDirection.CounterClockwise },
        { "2022_june_open_cw", 140, 41.261181936, 1.066800098, TrackDirection.Clockwise },
        { "2022_june_pro", 197, 58.607492821, 1.066789219, TrackDirection.CounterClockwise },
        { "2022_june_pro_ccw", 198, 58.595174377, 1.066789021, TrackDirection.CounterClockwise },
        { "2022_june_pro_cw", 198, 58.595174377, 1.066789022, TrackDirection.Clockwise },
        { "2022_march_open", 161, 48.069274517, 1.066800004, TrackDirection.CounterClockwise },
        { "2022_march_open_ccw", 162, 48.066447347, 1.066799438, TrackDirection.CounterClockwise },
        { "2022_march_open_cw", 162, 48.066447347, 1.066799445, TrackDirection.Clockwise },
        { "2022_march_pro", 256, 76.760362305, 1.066799962, TrackDirection.CounterClockwise },
        { "2022_march_pro_ccw", 258, 76.746467459, 1.066800017, TrackDirection.CounterClockwise },
        { "2022_march_pro_cw", 258, 76.746467459, 1.066800204, TrackDirection.Clockwise },
        { "2022_may_open", 155, 46.134143050, 1.066799973, TrackDirection.CounterClockwise },
        { "2022_may_open_ccw", 156, 46.117797621, 1.066799663, TrackDirection.CounterClockwise },
        { "2022_may_open_cw", 156, 46.117797621, 1.066799661, TrackDirection.Clockwise },
        { "2022_may_pro", 214, 63.862959682, 1.066799967, TrackDirection.CounterClockwise },
        { "2022_may_pro_ccw", 215, 63.858625357, 1.066799205, TrackDirection.CounterClockwise },
        { "2022_may_pro_cw", 215, 63.858625357, 1.066799206, TrackDirection.Clockwise },
        { "2022_october_open", 166, 49.568339728, 1.066800038, TrackDirection.CounterClockwise },
        { "2022_october_open_ccw", 167, 49.529218129, 1.066800335, TrackDirection.CounterClockwise },
        { "2022_october_open_cw", 167, 49.529218129, 1.066800444, TrackDirection.Clockwise },
        { "2022_october_pro", 208, 62.076141720, 1.065957020, TrackDirection.CounterClockwise },
        { "2022_october_pro_ccw", 209, 62.073693119, 1.065959885, TrackDirection.CounterClockwise },
        { "2022_october_pro_cw", 209, 62.073693119, 1.065959987, TrackDirection.Clockwise },
        { "2022_reinvent_champ", 112, 33.275265295, 0.949999981, TrackDirection.CounterClockwise },
        { "2022_reinvent_champ_ccw", 113, 33.275265295, 0.950000091, TrackDirection.CounterClockwise },
        { "2022_reinvent_champ_cw", 113, 33.275265295, 0.950000025, TrackDirection.Clockwise },
        { "2022_september_open", 152, 45.297381734, 1.066579558, TrackDirection.CounterClockwise },
        { "2022_september_open_ccw", 153, 45.264423768, 1.066574633, TrackDirection.CounterClockwise },
        { "2022_september_open_cw", 153, 45.264423768, 1.066574640, TrackDirection.Clockwise },
        { "2022_september_pro", 202, 60.177119859, 1.066647100, TrackDirection.CounterClockwise },
        { "2022_september_pro_ccw", 203, 60.169405896, 1.066650877, TrackDirection.CounterClockwise },
        { "2022_september_pro_cw", 203, 60.169405896, 1.066651105, TrackDirection.Clockwise },
        { "2022_summit_speedway", 127, 25.172641660, 1.066799914, TrackDirection.CounterClockwise },
        { "2022_summit_speedway_ccw", 86, 25.106790248, 1.066799597, TrackDirection.CounterClockwise },
        { "2022_summit_speedway_cw", 86, 25.106790248, 1.066799090, TrackDirection.Clockwise },
        { "2022_summit_speedway_mini", 76, 22.453495203, 1.066799966, TrackDirection.CounterClockwise },
        { "2024_reinvent_champ_ccw", 86, 25.106790570, 0.761999671, TrackDirection.CounterClockwise },
        { "2024_reinvent_champ_cw", 86, 25.106790570, 0.761999314, TrackDirection.Clockwise },
        { "AWS_track", 302, 69.253916717, 0.941798226, TrackDirection.CounterClockwise },
        { "Albert", 344, 51.388507950, 1.066799920, TrackDirection.Clockwise },
        { "AmericasGeneratedInclStart", 262, 39.072549486, 1.066782421, TrackDirection.CounterClockwise },
        { "Aragon", 401, 59.915211552, 1.067163791, TrackDirection.Clockwise },
        { "Austin", 224, 59.350855889, 1.443091929, TrackDirection.CounterClockwise },
        { "Belille", 401, 60.057236392, 1.066799999, TrackDirection.Clockwise },
        { "Bowtie_track", 163, 17.428422286, 0.789041540, TrackDirection.CounterClockwise },
        { "Canada_Eval", 160, 18.485365292, 0.728542466, TrackDirection.CounterClockwise },
        { "Canada_Training", 203, 21.743155004, 0.757449375, TrackDirection.CounterClockwise },
        { "China_eval_track", 122, 18.141154462, 0.656000000, TrackDirection.CounterClockwise },
        { "China_track", 172, 22.920228910, 0.893879407, TrackDirection.CounterClockwise },
        { "FS_June2020", 354, 52.874976368, 0.914399992, TrackDirection.Clockwise },
        { "H_track", 126, 100.853381033, 1.070545055, TrackDirection.CounterClockwise },
        { "July_2020", 181, 59.905997834, 0.914401801, TrackDirection.Clockwise },
        { "LGSWide", 255, 38.030938530, 1.067028211, TrackDirection.CounterClockwise },
        { "London_Loop_Train", 214, 19.452189411, 0.758116428, TrackDirection.CounterClockwise },
        { "Mexico_track", 181, 20.509761133, 0.838515101, TrackDirection.CounterClockwise },
        { "Mexico_track_eval", 135, 18.623407790, 0.650000000, TrackDirection.CounterClockwise },
        { "Monaco", 235, 60.265718857, 1.457815646, TrackDirection.Clockwise },
        { "Monaco_building", 235, 60.265718857, 1.457815646, TrackDirection.Clockwise },
        { "New_York_Eval_Track", 427, 22.833856688, 0.760001942, TrackDirection.CounterClockwise },
        { "New_York_Track", 172, 21.879712303, 0.739380095, TrackDirection.CounterClockwise },
        { "Oval_track", 102, 19.549800179, 0.709913118, TrackDirection.CounterClockwise },
        { "Singapore", 305, 60.474899118, 1.453461996, TrackDirection.CounterClockwise },
        { "Singapore_building", 305, 60.474899118, 1.453461996, TrackDirection.CounterClockwise },
        { "Singapore_f1", 305, 60.474899118, 1.453461996, TrackDirection.CounterClockwise },
        { "Spain_track", 259, 59.997850470, 0.912919081, TrackDirection.Clockwise },
        { "Spain_track_f1", 259, 59.997850470, 0.912919081, TrackDirection.Clockwise },
        { "Straight_track", 22, 5.707379854, 0.609599993, TrackDirection.None },
        { "Tokyo_Training_track", 169, 22.629639480, 1.202136353, TrackDirection.CounterClockwise },
        { "Vegas_track", 151, 22.551143839, 1.066799988, TrackDirection.CounterClockwise },
        { "Virtual_May19_Train_track", 214, 19.452189411, 0.758116428, TrackDirection.CounterClockwise },
        { "arctic_open", 170, 42.216494976, 1.066800067, TrackDirection.CounterClockwise },
        { "arctic_open_ccw", 143, 42.191884175, 1.066800418, TrackDirection.CounterClockwise },
        { "arctic_open_cw", 143, 42.191884175, 1.066800420, TrackDirection.Clockwise },
        { "arctic_pro", 238, 59.516800972, 1.066799953, TrackDirection.CounterClockwise },
        { "arctic_pro_ccw", 200, 59.476867114, 1.066798237, TrackDirection.CounterClockwise },
        { "arctic_pro_cw", 200, 59.476867114, 1.066798956, TrackDirection.Clockwise },
        { "caecer_gp", 231, 73.158887749, 1.082066898, TrackDirection.CounterClockwise },
        { "caecer_loop", 121, 35.091174341, 1.285520868, TrackDirection.CounterClockwise },
        { "dubai_open", 164, 40.664081491, 1.066799976, TrackDirection.CounterClockwise },
        { "dubai_open_ccw", 138, 40.614706215, 1.066800063, TrackDirection.CounterClockwise },
        { "dubai_open_cw", 138, 40.614706215, 1.066800063, TrackDirection.Clockwise },
        { "dubai_pro", 260, 64.952026362, 1.066800025, TrackDirection.CounterClockwise },
        { "hamption_open", 78, 45.933328899, 1.066800028, TrackDirection.CounterClockwise },
        { "hamption_pro", 89, 60.742243524, 1.066800015, TrackDirection.CounterClockwise },
        { "jyllandsringen_open", 155, 46.123377756, 1.066800022, TrackDirection.CounterClockwise },
        { "jyllandsringen_open_ccw", 156, 46.072873485, 1.066800112, TrackDirection.CounterClockwise },
        { "jyllandsringen_open_cw", 156, 46.072873485, 1.066800112, TrackDirection.Clockwise },
        { "jyllandsringen_pro", 126, 62.026039784, 1.066799989, TrackDirection.CounterClockwise },
        { "jyllandsringen_pro_ccw", 210, 62.132065196, 1.066677762, TrackDirection.CounterClockwise },
        { "jyllandsringen_pro_cw", 210, 62.132065196, 1.066677764, TrackDirection.Clockwise },
        { "morgan_open", 182, 45.041792476, 1.066632383, TrackDirection.CounterClockwise },
        { "morgan_pro", 238, 59.266759344, 1.066799997, TrackDirection.CounterClockwise },
        { "penbay_open", 230, 68.683204232, 1.066799915, TrackDirection.CounterClockwise },
        { "penbay_open_ccw", 231, 68.667442795, 1.066799933, TrackDirection.CounterClockwise },
        { "penbay_open_cw", 231, 68.667442795, 1.066799935, TrackDirection.Clockwise },
        { "penbay_pro", 299, 89.240848419, 1.066537432, TrackDirection.CounterClockwise },
        { "penbay_pro_ccw", 300, 89.235446375, 1.066537381, TrackDirection.CounterClockwise },
        { "penbay_pro_cw", 300, 89.235446375, 1.066537380, TrackDirection.Clockwise },
        { "reInvent2019_track", 155, 23.118221802, 1.066799984, TrackDirection.CounterClockwise },
        { "reInvent2019_track_ccw", 79, 23.090893150, 1.059993784, TrackDirection.CounterClockwise },
        { "reInvent2019_track_cw", 79, 23.090893150, 1.060012766, TrackDirection.Clockwise },
        { "reInvent2019_wide", 112, 16.635021276, 1.066799943, TrackDirection.CounterClockwise },
        { "reInvent2019_wide_ccw", 57, 16.598090037, 1.059999710, TrackDirection.CounterClockwise },
        { "reInvent2019_wide_cw", 57, 16.598090037, 1.060000063, TrackDirection.Clockwise },
        { "reInvent2019_wide_mirrored", 112, 16.635021249, 1.066799986, TrackDirection.CounterClockwise },
        { "red_star_open", 175, 43.486743799, 1.065830891, TrackDirection.CounterClockwise },
        { "red_star_pro", 276, 68.902345054, 1.066579838, TrackDirection.CounterClockwise },
        { "red_star_pro_ccw", 232, 68.854173721, 1.066605732, TrackDirection.CounterClockwise },
        { "red_star_pro_cw", 232, 68.854173721, 1.066606032, TrackDirection.Clockwise },
        { "reinvent_base", 119, 17.709159381, 0.761943735, TrackDirection.CounterClockwise },
        { "reinvent_base_jeremiah", 119, 17.709159381, 0.761943735, TrackDirection.CounterClockwise },
        { "reinvent_carpet", 119, 17.709159381, 0.761943735, TrackDirection.CounterClockwise },
        { "reinvent_concrete", 119, 17.709159381, 0.761943735, TrackDirection.CounterClockwise },
        { "reinvent_wood", 119, 17.709159381, 0.761943735, TrackDirection.CounterClockwise },
        { "thunder_hill_open", 83, 40.909246847, 1.066800015, TrackDirection.CounterClockwise },
        { "thunder_hill_pro", 199, 59.147940132, 1.066743140, TrackDirection.CounterClockwise },
        { "thunder_hill_pro_ccw", 200, 59.112853823, 1.066742749, TrackDirection.CounterClockwise },
        { "thunder_hill_pro_cw", 200, 59.112853823, 1.066742749, TrackDirection.Clockwise },
    };

    [Theory]
    [MemberData(nameof(AllShippedTracks))]
    public void NpyReader_ReadsEveryShippedFile_RowsLengthWidthDirectionMatchHandComputation(string name, int rows, double length, double meanWidth, TrackDirection direction)
    {
        var array = NpyReader.ReadFile(Path.Combine(TestSupport.RepoRoot, "tracks", name + ".npy"));
        var track = Track.FromArray(name, array);

        Assert.Equal([rows, 6], array.Shape);
        Assert.Equal(rows, track.WaypointCount);
        Assert.Equal(length, track.Length, 1e-8);
        Assert.Equal(meanWidth, track.MeanWidth, 1e-8);
        Assert.Equal(direction, track.Direction);
    }

    [Fact]
    public void Catalog_EmbedsAll135Files_SameGeometryAsTheFilesOnDisk()
    {
        Assert.Equal(135, TrackCatalog.All.Count);
        Assert.Equal(AllShippedTracks.Select(r => (string)r[0]), TrackCatalog.All.Select(t => t.Name));
        var spain = TrackCatalog.Find("spain_track.npy");
        Assert.NotNull(spain);
        Assert.Equal(59.997850470, spain.Length, 1e-8);
    }

    [Fact]
    public void ReinventBase_PerWaypointGeometry_MatchesHandComputation()
    {
        var t = TrackCatalog.Find("reinvent_base")!;

        // python: row 0 = (3.059733510017395, 0.6826554089784622, 3.0593700408935547, 1.0636550188064575, 3.0600969791412354, 0.3016557991504669)
        Assert.Equal(new TrackPoint(3.059733510017395, 0.6826554089784622), t.CenterLine[0]);
        Assert.Equal(new TrackPoint(3.0593700408935547, 1.0636550188064575), t.InnerBorder[0]);
        Assert.Equal(new TrackPoint(3.0600969791412354, 0.3016557991504669), t.OuterBorder[0]);
        Assert.True(t.IsClosed);
        Assert.Equal(0.7619995664011592, t.Width[0], 1e-12);
        Assert.Equal(0.7563772005830083, t.Width[71], 1e-12); // the narrowest waypoint
        Assert.Equal(0.7563772005830083, t.MinWidth, 1e-12);
        Assert.Equal(0.7620009164274856, t.MaxWidth, 1e-12);
        Assert.Equal(0, t.CumulativeDistance[0]);
        Assert.Equal(1.497622432439331, t.CumulativeDistance[10], 1e-12);
        Assert.Equal(8.853159914734054, t.CumulativeDistance[59], 1e-12);
        Assert.Equal(17.709159380834848, t.Length, 1e-12); // the logs' track_len
        Assert.Equal(7.33812603354454, t.Size.X, 1e-12);
        Assert.Equal(4.5891086757183075, t.Size.Y, 1e-12);
        Assert.Equal("re:Invent 2018", t.DisplayName);
        Assert.Equal(2 * 119, t.RoadPolygon().Length);
    }

    [Fact]
    public void SameLayout_GroupsByteIdenticalFiles_CanonicalFirst()
    {
        Assert.Equal(["reinvent_base", "reinvent_wood", "reinvent_carpet", "reinvent_concrete", "reinvent_base_jeremiah"], TrackCatalog.SameLayout("reinvent_carpet"));
        Assert.Equal("Virtual_May19_Train_track", TrackCatalog.Canonical("London_Loop_Train"));
        Assert.Equal(["Spain_track", "Spain_track_f1"], TrackCatalog.SameLayout("Spain_track_f1"));
        Assert.Equal(["Albert"], TrackCatalog.SameLayout("Albert"));
    }

    private static byte[] Npy(string header, byte[] data, int version = 1)
    {
        var h = Encoding.ASCII.GetBytes(header + "\n");
        var prefix = new List<byte> { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', (byte)version, 0 };
        if (version == 1)
        {
            prefix.AddRange(BitConverter.GetBytes((ushort)h.Length));
        }
        else
        {
            prefix.AddRange(BitConverter.GetBytes((uint)h.Length));
        }

        return [.. prefix, .. h, .. data];
    }

    [Fact]
    public void NpyReader_BigEndianFloat32_Version2()
    {
        // 2 x 2 float32 big-endian: 1.5, -2, 3.25, 0
        byte[] data = [0x3F, 0xC0, 0, 0, 0xC0, 0, 0, 0, 0x40, 0x50, 0, 0, 0, 0, 0, 0];
        var a = NpyReader.Read(Npy("{'descr': '>f4', 'fortran_order': False, 'shape': (2, 2), }", data, version: 2), "be.npy");
        Assert.Equal([1.5, -2, 3.25, 0], a.Data);
        Assert.Equal(-2, a[0, 1]);
    }

    [Fact]
    public void NpyReader_FortranOrderInt32_IsReturnedRowMajor()
    {
        // Fortran order stores column by column: the 2 x 3 array [[1,2,3],[4,5,6]] is stored 1,4,2,5,3,6.
        var data = new[] { 1, 4, 2, 5, 3, 6 }.SelectMany(BitConverter.GetBytes).ToArray();
        var a = NpyReader.Read(Npy("{'descr': '<i4', 'fortran_order': True, 'shape': (2, 3), }", data), "f.npy");
        Assert.Equal([1.0, 2, 3, 4, 5, 6], a.Data);
        Assert.Equal(6, a[1, 2]);
    }

    [Fact]
    public void Track_FromFourColumnArray_CentreIsTheMidpointOfTheBorders()
    {
        // Three border pairs: inner (0,1),(1,1),(2,1); outer (0,-1),(1,-1),(2,-1) -> centre (0,0),(1,0),(2,0), width 2, length 2.
        var data = new double[] { 0, 1, 0, -1, 1, 1, 1, -1, 2, 1, 2, -1 }.SelectMany(BitConverter.GetBytes).ToArray();
        var t = Track.FromArray("three", NpyReader.Read(Npy("{'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }", data), "three.npy"));
        Assert.Equal(new TrackPoint(2, 0), t.CenterLine[2]);
        Assert.Equal(2, t.Length);
        Assert.Equal(2, t.Width[0]);
        Assert.Equal(TrackDirection.None, t.Direction);
    }

    [Theory]
    [InlineData("{'descr': '<U8', 'fortran_order': False, 'shape': (2, 6), }", "dtype '<U8'")]
    [InlineData("{'descr': '<f8', 'fortran_order': False, 'shape': (200, 6), }", "data bytes")]
    [InlineData("{'fortran_order': False, 'shape': (2, 6), }", "no 'descr'")]
    public void NpyReader_BadFiles_OneLineErrorNamingTheFile(string header, string why)
    {
        var e = Assert.Throws<DeepRacerLogException>(() => NpyReader.Read(Npy(header, new byte[96]), "odd.npy"));
        Assert.StartsWith("odd.npy is not a readable .npy track file", e.Message, StringComparison.Ordinal);
        Assert.Contains(why, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void NpyReader_NotNpy_SaysSo()
    {
        var e = Assert.Throws<DeepRacerLogException>(() => NpyReader.Read("episode,steps\n"u8, "x.csv"));
        Assert.Contains("magic", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Track_WrongShape_SaysWhichShapesWork()
    {
        var data = new double[6].SelectMany(BitConverter.GetBytes).ToArray();
        var e = Assert.Throws<DeepRacerLogException>(() => Track.FromArray("three", NpyReader.Read(Npy("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }", data), "three.npy")));
        Assert.Equal("Track file three has shape (2, 3); a track needs N x 6 (centre, inner, outer border) or N x 4 (inner, outer) waypoints.", e.Message);
    }
}
