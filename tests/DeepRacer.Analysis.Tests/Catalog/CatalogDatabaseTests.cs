using DeepRacer.Analysis.Catalog;

namespace DeepRacer.Analysis.Tests.Catalog;

public sealed class CatalogDatabaseTests
{
    private static CatalogRow Row(string id, int minute, string? model = null) => new()
    {
        Id = id,
        LogType = CatalogLogType.Evaluation,
        ModelName = model,
        LastEventTimestamp = new DateTimeOffset(2024, 1, 1, 0, minute, 0, TimeSpan.Zero),
        MaxSpeed = 2.5,
        NTrials = 3,
    };

    [Fact]
    public void Header_IsTheIssueColumnListInOrder()
    {
        using var dir = new TempDir();
        var db = new CatalogDatabase(Path.Combine(dir.Path, "db", "cloudwatch_logs.csv"));

        db.Update(rows => rows.Add(Row("sim-a", 1)));

        Assert.Equal(
            "id,model_name,log_type,world_name,cloned,fetched_at,first_event_timestamp,last_event_timestamp,max_steering_angle,steering_angle_granularity," +
            "max_speed,speed_granularity,batch_size,beta_entropy,discount_factor,loss_type,learning_rate,num_epochs,num_episodes_between_training,n_trials," +
            "training_job_duration,s3_bucket,s3_prefix,status,status_reason,events,bytes,sha256,track",
            File.ReadLines(db.Path).First());
        Assert.Equal("sim-a,,evaluation,,,,,2024-01-01T00:01:00.000Z,,,2.5,,,,,,,,,3,,,,ok,,,,,", File.ReadLines(db.Path).ElementAt(1));
    }

    [Fact]
    public void ColumnsAddedByHand_SurviveLaterWrites_EvenOfTheSameRow()
    {
        using var dir = new TempDir();
        var db = new CatalogDatabase(Path.Combine(dir.Path, "x.csv"));
        db.Update(rows => rows.AddRange([Row("sim-a", 1), Row("sim-b", 2)]));

        // The user appends a "notes" column with a value for sim-a, by hand.
        var lines = File.ReadAllLines(db.Path);
        lines[0] += ",notes";
        lines[1] += ",";
        lines[2] += ",\"fast, but cuts corner 3\"";
        File.WriteAllLines(db.Path, lines);

        // A new row and a rebuilt sim-a (as a re-fetch writes it) go in.
        db.Update(rows =>
        {
            rows.RemoveAll(r => r.Id == "sim-a");
            rows.Add(Row("sim-a", 1, "Model-A"));
            rows.Add(Row("sim-c", 3));
        });

        var written = File.ReadAllLines(db.Path);
        Assert.EndsWith(",track,notes", written[0], StringComparison.Ordinal);
        var read = db.Read().Rows;
        Assert.Equal(["sim-c", "sim-b", "sim-a"], read.Select(r => r.Id));
        Assert.Equal("fast, but cuts corner 3", read.Single(r => r.Id == "sim-a").Extra["notes"]);
        Assert.Equal("Model-A", read.Single(r => r.Id == "sim-a").ModelName);
        Assert.Equal("", read.Single(r => r.Id == "sim-c").Extra["notes"]);
    }

    [Fact]
    public void Rows_NewestFirst_QuotedValuesRoundTrip()
    {
        using var dir = new TempDir();
        var db = new CatalogDatabase(Path.Combine(dir.Path, "x.csv"));

        db.Update(rows => rows.AddRange([Row("sim-old", 1), Row("sim-new", 9, "My \"fast\", model\nv2"), Row("sim-mid", 5)]));

        var read = db.Read();
        Assert.Equal(["sim-new", "sim-mid", "sim-old"], read.Rows.Select(r => r.Id));
        Assert.Equal("My \"fast\", model\nv2", read.Rows[0].ModelName);
        Assert.Empty(read.Malformed);
        Assert.Contains("\"My \"\"fast\"\", model\nv2\"", File.ReadAllText(db.Path), StringComparison.Ordinal);
    }

    [Fact]
    public void HandEditedMalformedRows_AreReportedAndKept()
    {
        using var dir = new TempDir();
        var db = new CatalogDatabase(Path.Combine(dir.Path, "x.csv"));
        db.Update(rows => rows.Add(Row("sim-a", 1)));
        var header = File.ReadLines(db.Path).First();
        File.WriteAllText(db.Path, header + "\n" + File.ReadLines(db.Path).ElementAt(1) + "\nsim-b,,evaluation,too,few\n" +
            "sim-c,,evaluation,,,,,2024-01-01T00:03:00.000Z,,,fast,,,,,,,,,3,,,,ok,,,,,\n");

        var read = db.Read();

        Assert.Equal(["sim-a"], read.Rows.Select(r => r.Id));
        Assert.Equal([3, 4], read.Malformed.Select(m => m.Line));
        Assert.Equal("5 fields, the header has 29", read.Malformed[0].Problem);
        Assert.Equal("max_speed 'fast' is not a number", read.Malformed[1].Problem);

        db.Update(rows => rows.Add(Row("sim-d", 4)));

        var text = File.ReadAllText(db.Path);
        Assert.Contains("\nsim-b,,evaluation,too,few\n", text, StringComparison.Ordinal);
        Assert.Contains("\nsim-c,,evaluation,,,,,2024-01-01T00:03:00.000Z,,,fast,", text, StringComparison.Ordinal);
        Assert.Equal(["sim-d", "sim-a"], db.Read().Rows.Select(r => r.Id));
    }

    [Fact]
    public void NotACatalogHeader_OneLineError()
    {
        using var dir = new TempDir();
        var path = dir.Write("x.csv", "a,b,c\n1,2,3\n");

        var e = Assert.Throws<DeepRacerLogException>(() => new CatalogDatabase(path).Read());

        Assert.Contains("not a catalog header", e.Message, StringComparison.Ordinal);
    }
}
