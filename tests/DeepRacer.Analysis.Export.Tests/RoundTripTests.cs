using DeepRacer.Analysis.Episodes;
using DeepRacer.Analysis.Tables;
using DeepRacer.Analysis.Tests;
using ParquetSharp;

namespace DeepRacer.Analysis.Export.Tests;

[Collection(ExportCollection.Name)]
public sealed class RoundTripTests(ExportFixture export)
{
    public static TheoryData<string, string> Models()
    {
        var data = new TheoryData<string, string>();
        foreach (var (sample, model) in ExportFixture.Models)
        {
            data.Add(sample, model);
        }

        return data;
    }

    private static async Task<StepTable> LoadAsync(string sample)
    {
        using var log = await DeepRacerLog.OpenAsync(TestSupport.Sample(sample));
        return await log.LoadAsync(StepTableKind.Training);
    }

    [Theory]
    [MemberData(nameof(Models))]
    public async Task Episodes_read_by_Arrow_cpp_equal_the_episode_table_cell_for_cell(string sample, string model)
    {
        var expected = EpisodeTable.Aggregate(await LoadAsync(sample));
        var actual = ParquetReading.ReadWithArrowCpp(export.File("episodes", model));

        Assert.True(expected.RowCount > 0);
        ParquetReading.AssertSameCells(expected, actual, model);
        Assert.Equal(ExportSchema.Columns(ExportSchema.Episodes).Select(c => c.Name), actual.Columns.Select(c => c.Name));
    }

    [Theory]
    [MemberData(nameof(Models))]
    public async Task Steps_read_by_Arrow_cpp_equal_the_loaded_steps(string sample, string model)
    {
        var steps = await LoadAsync(sample);
        var folder = Path.Combine(export.Folder, "table=steps", $"model={model}");
        var files = Directory.GetFiles(folder, "*.parquet").Order(StringComparer.Ordinal).ToArray();
        var tables = files.Select(ParquetReading.ReadWithArrowCpp).ToList();

        Assert.Equal(steps.RowCount, tables.Sum(t => t.RowCount));
        var offset = 0;
        var expected = steps.ToTable([.. Enumerable.Range(0, steps.RowCount)]);
        foreach (var table in tables)
        {
            ParquetReading.AssertSameCells(expected.Select([.. Enumerable.Range(offset, table.RowCount)]), table, model);
            offset += table.RowCount;
        }
    }

    [Fact]
    public void DuckDB_counts_the_simtrace_rows_and_reward()
    {
        // Independent figures from the CSVs (python3 csv module over samples/sample-drfc-1-logs/training-simtrace/*.csv):
        // 39,392 rows, rewards summing to 23883.253.
        using var duck = SqlSession.Open(export.Folder);
        var t = duck.Query("SELECT count(*) AS n, sum(reward) AS r FROM steps WHERE model = 'sample-drfc-1-logs'");

        Assert.Equal(39_392, t.Get<long>("n")[0]);
        Assert.Equal(23883.253, t.Get<double>("r")[0], 6);
    }

    [Fact]
    public void Files_have_the_cli_types_dictionary_strings_and_statistics()
    {
        using var file = new ParquetFileReader(Directory.GetFiles(Path.Combine(export.Folder, "table=steps", "model=sample-drfc-3-logs"), "*.parquet")[0]);
        var schema = file.FileMetaData.Schema;
        int Index(string name) => Enumerable.Range(0, schema.NumColumns).Single(i => schema.Column(i).Name == name);

        Assert.Equal(PhysicalType.Float, schema.Column(Index("x")).PhysicalType);
        Assert.Equal(PhysicalType.Double, schema.Column(Index("reward")).PhysicalType);
        Assert.Equal(typeof(short), ParquetReading.SystemType(schema.Column(Index("action"))));
        Assert.Equal(typeof(byte), ParquetReading.SystemType(schema.Column(Index("worker"))));
        Assert.Equal(typeof(bool), ParquetReading.SystemType(schema.Column(Index("done"))));

        using var group = file.RowGroup(0);
        var status = group.MetaData.GetColumnChunkMetaData(Index("episode_status"));
        Assert.Contains(Encoding.RleDictionary, status.Encodings);
        var stats = group.MetaData.GetColumnChunkMetaData(Index("iteration")).Statistics;
        Assert.NotNull(stats);
        Assert.True(stats!.HasMinMax);
        Assert.Equal(0, ((Statistics<int>)stats).Min);
    }

    [Fact]
    public async Task Parquet_Net_reads_the_same_figures_as_drlog()
    {
        // A third reader, fully managed and independent of the writer: per-episode sums of one model.
        var steps = await LoadAsync("sample-drfc-1-logs");
        var episodes = EpisodeTable.Aggregate(steps);
        await using var stream = File.OpenRead(export.File("episodes", "sample-drfc-1-logs"));
        await using var reader = await Parquet.ParquetReader.CreateAsync(stream);
        var fields = reader.Schema.GetDataFields();
        using var group = reader.OpenRowGroupReader(0);
        var time = new double[group.RowCount];
        await group.ReadAsync<double>(fields.Single(f => f.Name == "time"), time);
        var quintile = new string[group.RowCount];
        await group.ReadAsync(fields.Single(f => f.Name == "quintile"), quintile);

        Assert.Equal(episodes.Time.ToArray(), time[..episodes.RowCount]);
        Assert.Equal(episodes.Get<string>("quintile").ToArray(), quintile[..episodes.RowCount]);
    }

    [Fact]
    public async Task Reference_query_over_steps_rebuilds_episodes_cell_for_cell()
    {
        var sql = await File.ReadAllTextAsync(Path.Combine(TestSupport.RepoRoot, "docs", "episodes-from-steps.sql"));
        using var duck = SqlSession.Open(export.Folder);
        var all = duck.Query(sql);
        var models = all.Get<string>("model").ToArray();
        foreach (var (sample, model) in ExportFixture.Models)
        {
            var expected = EpisodeTable.Aggregate(await LoadAsync(sample));
            var rows = Enumerable.Range(0, models.Length).Where(i => models[i] == model).ToArray();
            Assert.NotEmpty(rows);
            ParquetReading.AssertSameCells(expected, all.Select(rows), model);
        }
    }
}
