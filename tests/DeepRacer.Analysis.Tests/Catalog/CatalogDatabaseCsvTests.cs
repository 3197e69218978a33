using DeepRacer.Analysis.Catalog;

namespace DeepRacer.Analysis.Tests.Catalog;

/// <summary>
/// Pins the catalog CSV field by field: every column written and read back, the records a hand edit can leave (blank
/// lines, CRLF, quotes inside a field, a quoted last field without a newline), the header rules, each value a row can be
/// rejected for, and the atomic replace leaving no temp file whether it succeeds or fails.
/// </summary>
public sealed class CatalogDatabaseCsvTests
{
    private const string Header =
        "id,model_name,log_type,world_name,cloned,fetched_at,first_event_timestamp,last_event_timestamp,max_steering_angle," +
        "steering_angle_granularity,max_speed,speed_granularity,batch_size,beta_entropy,discount_factor,loss_type,learning_rate," +
        "num_epochs,num_episodes_between_training,n_trials,training_job_duration,s3_bucket,s3_prefix,status,status_reason,events," +
        "bytes,sha256,track";

    // Every column set, each to a value no other column has; events and bytes above int.MaxValue.
    private static readonly CatalogRow s_full = new()
    {
        Id = "sim-full",
        ModelName = "Model-1",
        LogType = CatalogLogType.TrainingJob,
        WorldName = "reInvent2019_track",
        Cloned = true,
        FetchedAt = new DateTimeOffset(2024, 5, 1, 14, 0, 0, 250, TimeSpan.FromHours(2)),
        FirstEventTimestamp = new DateTimeOffset(2024, 4, 30, 8, 0, 0, 5, TimeSpan.Zero),
        LastEventTimestamp = new DateTimeOffset(2024, 4, 30, 10, 30, 15, TimeSpan.Zero),
        MaxSteeringAngle = 30,
        SteeringAngleGranularity = 5,
        MaxSpeed = 4.5,
        SpeedGranularity = 3,
        BatchSize = 64,
        BetaEntropy = 0.01,
        DiscountFactor = 0.999,
        LossType = "huber",
        LearningRate = 0.0003,
        NumEpochs = 10,
        NumEpisodesBetweenTraining = 20,
        NTrials = 7,
        TrainingJobDuration = 7200.5,
        S3Bucket = "my-bucket",
        S3Prefix = "models/Model-1",
        Status = CatalogStatus.Incomplete,
        StatusReason = "stopped early",
        Events = 12_345_678_901,
        Bytes = 98_765_432_101,
        Sha256 = "ab12cd",
        Track = "reInvent2019_track_ccw",
    };

    // The line of s_full as written by hand from the column list: the +02:00 fetch time is written in UTC.
    private const string FullLine =
        "sim-full,Model-1,training-job,reInvent2019_track,true,2024-05-01T12:00:00.250Z,2024-04-30T08:00:00.005Z," +
        "2024-04-30T10:30:15.000Z,30,5,4.5,3,64,0.01,0.999,huber,0.0003,10,20,7,7200.5,my-bucket,models/Model-1,incomplete," +
        "stopped early,12345678901,98765432101,ab12cd,reInvent2019_track_ccw";

    // A line of the minimal row sim-a/evaluation with one column replaced.
    private static string LineWith(string column, string value)
    {
        var fields = new string[29];
        Array.Fill(fields, "");
        fields[0] = "sim-a";
        fields[2] = "evaluation";
        fields[Header.Split(',').ToList().IndexOf(column)] = value;
        return string.Join(',', fields);
    }

    [Fact]
    public void FullRow_EveryColumnWrittenAndReadBack()
    {
        var csv = CatalogDatabase.Format([s_full]);

        Assert.Equal(Header + "\n" + FullLine + "\n", csv);
        Assert.Equal(s_full, Assert.Single(CatalogDatabase.Parse(csv, "db.csv").Rows));
    }

    [Fact]
    public void EmptyRow_EveryOptionalColumnEmptyAndReadBackAsNull()
    {
        var row = new CatalogRow { Id = "sim-a", LogType = CatalogLogType.Evaluation };

        var csv = CatalogDatabase.Format([row]);

        Assert.Equal("sim-a,,evaluation,,,,,,,,,,,,,,,,,,,,,ok,,,,,", csv.Split('\n')[1]);
        var back = Assert.Single(CatalogDatabase.Parse(csv, "db.csv").Rows);
        Assert.Equal(row, back);
        Assert.Null(back.ModelName);
        Assert.Null(back.Cloned);
        Assert.Null(back.Events);
    }

    [Theory]
    [InlineData("", CatalogStatus.Ok)]
    [InlineData("ok", CatalogStatus.Ok)]
    [InlineData("invalid", CatalogStatus.Invalid)]
    [InlineData("incomplete", CatalogStatus.Incomplete)]
    public void Status_EachSpelling(string text, CatalogStatus expected)
    {
        var row = Assert.Single(CatalogDatabase.Parse(Header + "\n" + LineWith("status", text) + "\n", "db.csv").Rows);

        Assert.Equal(expected, row.Status);
        Assert.Equal(expected == CatalogStatus.Ok ? "ok" : text, CatalogDatabase.Fields(row)[23]);
    }

    [Theory]
    [InlineData("status", "done", "status 'done' is not ok, invalid or incomplete")]
    [InlineData("id", "", "id is empty")]
    [InlineData("log_type", "", "log_type is empty")]
    [InlineData("log_type", "race", "log_type 'race' is not one of training-job, simulation-job, evaluation, leaderboard")]
    [InlineData("max_steering_angle", "thirty", "max_steering_angle 'thirty' is not a number")]
    [InlineData("steering_angle_granularity", "5.5", "steering_angle_granularity '5.5' is not a whole number")]
    [InlineData("n_trials", "2147483648", "n_trials '2147483648' is not a whole number")]
    [InlineData("events", "12e3", "events '12e3' is not a whole number")]
    [InlineData("bytes", "many", "bytes 'many' is not a whole number")]
    [InlineData("fetched_at", "yesterday", "fetched_at 'yesterday' is not a date (use e.g. 2022-06-12T08:28:53.000Z)")]
    [InlineData("last_event_timestamp", "2024-13-01", "last_event_timestamp '2024-13-01' is not a date (use e.g. 2022-06-12T08:28:53.000Z)")]
    public void BadValue_TheRowIsMalformedWithTheColumnAndValueNamed(string column, string value, string problem)
    {
        var line = LineWith(column, value);

        var snapshot = CatalogDatabase.Parse(Header + "\n" + LineWith("id", "sim-ok") + "\n" + line + "\n", "db.csv");

        Assert.Equal("sim-ok", Assert.Single(snapshot.Rows).Id);
        var bad = Assert.Single(snapshot.Malformed);
        Assert.Equal(problem, bad.Problem);
        Assert.Equal(3, bad.Line);
        Assert.Equal(line, bad.Text);
    }

    [Fact]
    public void EveryLogType_IsAccepted()
    {
        var csv = Header + "\n" + string.Join('\n', CatalogLogType.All.Select(t => LineWith("log_type", t))) + "\n";

        var rows = CatalogDatabase.Parse(csv, "db.csv").Rows;

        Assert.Equal(["evaluation-sim-a", "leaderboard-sim-a", "simulation-job-sim-a", "training-job-sim-a"], rows.Select(r => r.Key));
    }

    [Fact]
    public void EmptyText_IsAnEmptyDatabase()
    {
        using var dir = new TempDir();
        var path = dir.Write("db.csv", "");

        var snapshot = new CatalogDatabase(path).Read();

        Assert.Empty(snapshot.Rows);
        Assert.Empty(snapshot.Malformed);
        Assert.Empty(CatalogDatabase.Parse("", "db.csv").Rows);
    }

    [Fact]
    public void BlankLines_AreSkipped_AOneFieldLineIsMalformed()
    {
        var csv = Header + "\n\n" + LineWith("id", "sim-a") + "\n\ngarbage\n\n";

        var snapshot = CatalogDatabase.Parse(csv, "db.csv");

        Assert.Equal("sim-a", Assert.Single(snapshot.Rows).Id);
        var bad = Assert.Single(snapshot.Malformed);
        Assert.Equal(new MalformedCatalogRow(5, "garbage", "1 fields, the header has 29"), bad);
    }

    [Fact]
    public void CrLfLines_AndLineNumbersAfterAQuotedLineBreak()
    {
        var two = LineWith("model_name", "\"two\nlines\"");
        var csv = Header + "\r\n" + two + "\r\nsim-b,,evaluation\r\n" + LineWith("id", "sim-c") + "\r\n";

        var snapshot = CatalogDatabase.Parse(csv, "db.csv");

        Assert.Equal(["sim-a", "sim-c"], snapshot.Rows.Select(r => r.Id).Order(StringComparer.Ordinal));
        Assert.Equal("two\nlines", snapshot.Rows.Single(r => r.Id == "sim-a").ModelName);
        Assert.Equal(new MalformedCatalogRow(4, "sim-b,,evaluation", "3 fields, the header has 29"), Assert.Single(snapshot.Malformed));
    }

    [Fact]
    public void QuoteInsideAnUnquotedField_IsKeptAsText()
    {
        var csv = Header + "\n" + LineWith("model_name", "my \"fast\" one") + "\n";

        Assert.Equal("my \"fast\" one", Assert.Single(CatalogDatabase.Parse(csv, "db.csv").Rows).ModelName);
    }

    [Fact]
    public void QuotedLastField_WithoutATrailingNewline()
    {
        var csv = Header + "\n" + LineWith("track", "\"a, \"\"b\"\"\"");

        Assert.Equal("a, \"b\"", Assert.Single(CatalogDatabase.Parse(csv, "db.csv").Rows).Track);
    }

    [Fact]
    public void ShortHeader_WithSpaces_ReadsTheColumnsItHas()
    {
        var snapshot = CatalogDatabase.Parse(" id , log_type ,max_speed\nsim-a,leaderboard,3.5\n", "db.csv");

        var row = Assert.Single(snapshot.Rows);
        Assert.Equal(("sim-a", CatalogLogType.Leaderboard, 3.5), (row.Id, row.LogType, row.MaxSpeed));
        Assert.Empty(row.Extra);
    }

    [Theory]
    [InlineData("id,model_name")]
    [InlineData("model_name,log_type")]
    public void HeaderWithoutIdOrLogType_OneLineErrorNamingTheFile(string header)
    {
        var e = Assert.Throws<DeepRacerLogException>(() => CatalogDatabase.Parse(header + "\nsim-a,evaluation\n", "/data/db.csv"));

        Assert.Equal("/data/db.csv: the first line is not a catalog header (it needs at least the id and log_type columns); restore it or move the file away.", e.Message);
    }

    [Fact]
    public void ExtraColumns_OnlyNamedAndFirstOfTheirName()
    {
        var snapshot = CatalogDatabase.Parse("id,log_type,notes,,notes\nsim-a,evaluation,first,unnamed,second\n", "db.csv");

        var row = Assert.Single(snapshot.Rows);
        Assert.Equal(["notes"], row.Extra.Keys);
        Assert.Equal("first", row.Extra["notes"]);
        Assert.Equal(Header + ",notes\n" + "sim-a,,evaluation,,,,,,,,,,,,,,,,,,,,,ok,,,,,,first\n", CatalogDatabase.Format(snapshot.Rows));
    }

    [Fact]
    public void RebuiltRow_WithItsOwnExtraValues_KeepsThem()
    {
        using var dir = new TempDir();
        var db = new CatalogDatabase(Path.Combine(dir.Path, "db.csv"));
        dir.Write("db.csv", "id,log_type,notes\nsim-a,evaluation,old\nsim-b,evaluation,kept\n");

        var written = db.Update(rows =>
        {
            rows.RemoveAll(r => r.Id == "sim-a");
            rows.Add(new CatalogRow { Id = "sim-a", LogType = CatalogLogType.Evaluation, Extra = new Dictionary<string, string> { ["notes"] = "new" } });
        });

        Assert.Equal("new", written.Rows.Single(r => r.Id == "sim-a").Extra["notes"]);
        Assert.Equal("kept", db.Read().Rows.Single(r => r.Id == "sim-b").Extra["notes"]);
        Assert.Equal("new", db.Read().Rows.Single(r => r.Id == "sim-a").Extra["notes"]);
    }

    [Fact]
    public void Update_ReturnsWhatItWrote_AndLeavesNoTempFile()
    {
        using var dir = new TempDir();
        var db = new CatalogDatabase(Path.Combine(dir.Path, "db.csv"));

        db.Update(rows => rows.Add(s_full));
        var second = db.Update(rows => rows.Add(new CatalogRow { Id = "sim-b", LogType = CatalogLogType.Evaluation }));

        Assert.Equal(Header + "\n" + FullLine + "\nsim-b,,evaluation,,,,,,,,,,,,,,,,,,,,,ok,,,,,\n", File.ReadAllText(db.Path));
        Assert.Equal(["sim-full", "sim-b"], second.Rows.Select(r => r.Id));
        Assert.Equal(second.Rows, db.Read().Rows);
        Assert.Equal([".lock", "db.csv"], Directory.GetFiles(dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void FailedReplace_LeavesNoTempFile()
    {
        using var dir = new TempDir();
        // The database path is a folder: the rename onto it fails after the temp file was written.
        var path = Path.Combine(dir.Path, "db.csv");
        Directory.CreateDirectory(path);
        var db = new CatalogDatabase(path);

        Assert.ThrowsAny<IOException>(() => db.Update(rows => rows.Add(s_full)));

        Assert.Equal([".lock"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
        Assert.Empty(Directory.GetFileSystemEntries(path));
    }
}
