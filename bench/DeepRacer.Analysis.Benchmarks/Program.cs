// Load throughput and peak-memory benchmark for DeepRacer.Analysis.
//
//   dotnet run -c Release -- [--size-mb 500] [--runs 5] [--warm-runs 3] [--data DIR] [--results DIR] [--profile-runs 3]
//       generates (or reuses) a DRfC 3-worker model of about size-mb MB, then measures each run in a fresh child process
//   --episodes DIR [--runs N]   the streaming episodes load, N times in this process (wall, CPU, MB/s)
//   --measure DIR [--warm]   one run in this process (prints one RESULT line); --warm loads twice and reports the second
//   --profile DIR            stopwatch split: read only / line split / parse / build / aggregate
//   --reward DIR [--python P] [--runs N]   reward replay: params alone, a trivial Python function, the drfc-1 function
//
// MB here is 10^6 bytes; MB/s = training CSV bytes / wall seconds of open + load + aggregate.
using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using DeepRacer.Analysis;
using DeepRacer.Analysis.Episodes;
using DeepRacer.Analysis.Formats;
using DeepRacer.Analysis.Internal;
using DeepRacer.Analysis.Tables;

return await Bench.MainAsync(args).ConfigureAwait(false);

internal static class Bench
{
    private const double Mb = 1e6;
    private const string Sample = "samples/sample-drfc-3-logs";
    private const int SampleIterations = 23;

    public static async Task<int> MainAsync(string[] args)
    {
        var opts = Options.Parse(args);
        if (opts.Measure is { } dir)
        {
            var r = await MeasureAsync(dir, opts.Warm).ConfigureAwait(false);
            Console.WriteLine("RESULT " + r.ToLine());
            if (Environment.GetEnvironmentVariable("DRLOG_BENCH_MAPS") == "1")
            {
                PrintMappings();
            }
            return 0;
        }

        if (opts.Episodes is { } edir)
        {
            await EpisodesAsync(edir, opts.Runs).ConfigureAwait(false);
            return 0;
        }

        if (opts.Micro is { } mdir)
        {
            Micro(mdir);
            return 0;
        }

        if (opts.Check is { } cdir)
        {
            return await CheckAsync(cdir).ConfigureAwait(false);
        }

        if (opts.Reward is { } rdir)
        {
            return await RewardBench.RunAsync(rdir, opts.Python, opts.Runs, FindRepoRoot()).ConfigureAwait(false);
        }

        if (opts.Profile is { } pdir)
        {
            await ProfileAsync(pdir).ConfigureAwait(false);
            return 0;
        }

        return await DriveAsync(opts).ConfigureAwait(false);
    }

    // ---------------------------------------------------------------- driver

    private static async Task<int> DriveAsync(Options o)
    {
        var repo = FindRepoRoot();
        var data = o.Data ?? Path.Combine(repo, "bench", "results", "tmp", FormattableString.Invariant($"drfc3-{o.SizeMb}mb"));
        var csvBytes = Generate(Path.Combine(repo, Sample), data, (long)(o.SizeMb * Mb));

        var cold = new List<RunResult>();
        for (var i = 0; i < o.Runs; i++)
        {
            var r = RunChild(data, warm: false);
            Console.WriteLine(Inv($"cold run {i + 1}/{o.Runs}: {r.Seconds:F3} s  {r.MbPerSecond:F1} MB/s  peak RSS {r.PeakRssBytes / Mb:F0} MB  (load {r.LoadSeconds:F3} s, aggregate {r.AggregateSeconds:F3} s)"));
            cold.Add(r);
        }

        var warm = new List<RunResult>();
        for (var i = 0; i < o.WarmRuns; i++)
        {
            var r = RunChild(data, warm: true);
            Console.WriteLine(Inv($"warm run {i + 1}/{o.WarmRuns}: {r.Seconds:F3} s  {r.MbPerSecond:F1} MB/s  (load {r.LoadSeconds:F3} s, aggregate {r.AggregateSeconds:F3} s)"));
            warm.Add(r);
        }

        var fingerprints = cold.Concat(warm).Select(r => r.Fingerprint).Distinct().ToList();
        if (fingerprints.Count != 1)
        {
            Console.Error.WriteLine("runs disagree on the loaded data: " + string.Join(", ", fingerprints));
            return 1;
        }

        // The same measurement on the 6.8 MB sample: the process's fixed memory (runtime, JIT, mapped assemblies).
        var floor = RunChild(Path.Combine(repo, Sample), warm: false);

        var profile = new List<string>();
        for (var i = 0; i < o.ProfileRuns; i++)
        {
            profile.Add(RunProfileChild(data));
        }

        var md = Markdown(o, data, csvBytes, cold, warm, profile, floor);
        Directory.CreateDirectory(o.Results ?? Path.Combine(repo, "bench", "results"));
        var file = Path.Combine(o.Results ?? Path.Combine(repo, "bench", "results"), ResultName() + ".md");
        await File.WriteAllTextAsync(file, md).ConfigureAwait(false);
        Console.WriteLine();
        Console.WriteLine(md);
        Console.WriteLine("written to " + file);
        return 0;
    }

    private static RunResult RunChild(string data, bool warm)
    {
        var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
        var output = RunSelf(warm ? ["--measure", data, "--warm"] : ["--measure", data]);
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith("RESULT ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException("child printed no RESULT line:\n" + output);
        return RunResult.FromLine(line["RESULT ".Length..]) with { LoadAverage = load };
    }

    private static string RunProfileChild(string data) => RunSelf(["--profile", data]).Trim();

    private static string RunSelf(string[] args)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("no process path");
        var psi = new ProcessStartInfo { FileName = self, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        var entry = typeof(Bench).Assembly.Location;
        if (Path.GetFileNameWithoutExtension(self) is "dotnet")
        {
            psi.ArgumentList.Add(entry);
        }

        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi) ?? throw new InvalidOperationException("cannot start child");
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException(Inv($"child exited with {p.ExitCode}:\n{stdout}\n{stderr.Result}"));
        }

        return stdout;
    }

    // ---------------------------------------------------------------- one measured run

    private static async Task<RunResult> MeasureAsync(string dir, bool warm)
    {
        if (warm)
        {
            // First pass: JIT, tiering, page cache; then drop everything and reset the high-water mark.
            await WarmUpAsync(dir).ConfigureAwait(false);
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            ResetPeakRss();
        }

        var cpuBefore = Environment.CpuUsage.TotalTime;

        var gcBefore = (Gen0: GC.CollectionCount(0), Gen1: GC.CollectionCount(1), Gen2: GC.CollectionCount(2), Alloc: GC.GetTotalAllocatedBytes(true), Pause: GC.GetTotalPauseDuration());
        var (times, result) = await LoadOnceAsync(dir).ConfigureAwait(false);
        var peak = ReadStatusKb("VmHWM") * 1024;
        var cpu = (Environment.CpuUsage.TotalTime - cpuBefore).TotalSeconds;
        var split = TraceLoader.LastTimings;
        var rssNow = ReadStatusKb("VmRSS") * 1024;
        var info = GC.GetGCMemoryInfo(GCKind.Any);
        var managedHeap = GC.GetTotalMemory(false);
        var steps = result.Steps;
        var bytes = steps.Report.Bytes;
        return new RunResult
        {
            Bytes = bytes,
            Rows = steps.RowCount,
            Episodes = result.Episodes.RowCount,
            Seconds = times.Total,
            OpenSeconds = times.Open,
            LoadSeconds = times.Load,
            AggregateSeconds = times.Aggregate,
            PeakRssBytes = peak,
            RssAfterBytes = rssNow,
            ManagedHeapBytes = managedHeap,
            GcHeapPeakBytes = info.HeapSizeBytes,
            AllocatedBytes = GC.GetTotalAllocatedBytes(true) - gcBefore.Alloc,
            Gen0 = GC.CollectionCount(0) - gcBefore.Gen0,
            Gen1 = GC.CollectionCount(1) - gcBefore.Gen1,
            Gen2 = GC.CollectionCount(2) - gcBefore.Gen2,
            GcPauseMs = (GC.GetTotalPauseDuration() - gcBefore.Pause).TotalMilliseconds,
            RssAnonBytes = ReadStatusKb("RssAnon") * 1024,
            PeakAfterLoadBytes = s_peakAfterLoad,
            RssFileBytes = ReadStatusKb("RssFile") * 1024,
            CpuSeconds = cpu,
            CountSeconds = split.CountSeconds,
            ParseSeconds = split.ParseSeconds,
            BuildSeconds = split.BuildSeconds,
            Fingerprint = Fingerprint(steps, result.Episodes),
        };
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task WarmUpAsync(string dir)
    {
        var (_, first) = await LoadOnceAsync(dir).ConfigureAwait(false);
        GC.KeepAlive(first);
    }

    private sealed record Loaded(StepTable Steps, EpisodeTable Episodes);

    private static long s_peakAfterLoad;

    private static async Task<((double Open, double Load, double Aggregate, double Total) Times, Loaded Result)> LoadOnceAsync(string dir)
    {
        var sw = Stopwatch.StartNew();
        using var log = await DeepRacerLog.OpenAsync(dir).ConfigureAwait(false);
        var open = sw.Elapsed.TotalSeconds;
        var steps = await log.LoadTrainingTraceAsync().ConfigureAwait(false);
        var load = sw.Elapsed.TotalSeconds;
        s_peakAfterLoad = ReadStatusKb("VmHWM") * 1024;
        var episodes = EpisodeTable.Aggregate(steps);
        var total = sw.Elapsed.TotalSeconds;
        if (steps.Report.BadLineCount != 0)
        {
            throw new InvalidOperationException("bad lines: " + string.Join("; ", steps.Report.FirstBadLines));
        }

        return ((open, load - open, total - load, total), new Loaded(steps, episodes));
    }

    /// <summary>FNV-1a over every step and numeric episode column: equal fingerprints mean identical results.</summary>
    private static string Fingerprint(StepTable s, EpisodeTable e)
    {
        var h = 14695981039346656037UL;
        void Add<T>(ReadOnlySpan<T> span) where T : unmanaged
        {
            foreach (var b in MemoryMarshal.AsBytes(span))
            {
                h = (h ^ b) * 1099511628211UL;
            }

            h = (h ^ (ulong)span.Length) * 1099511628211UL;
        }

        Add(s.Iteration); Add(s.Episode); Add(s.Steps); Add(s.X); Add(s.Y); Add(s.Yaw); Add(s.SteeringAngle); Add(s.Speed);
        Add(s.Action); Add(s.Reward); Add(s.Done); Add(s.OnTrack); Add(s.Progress); Add(s.ClosestWaypoint); Add(s.TrackLen);
        Add(s.Tstamp); Add(s.Status); Add(s.PauseDuration); Add(s.WallClock); Add(s.Worker); Add(s.UniqueEpisode);
        foreach (var c in e.Columns)
        {
            switch (c)
            {
                case Column<int>: Add(e.Get<int>(c.Name)); break;
                case Column<double>: Add(e.Get<double>(c.Name)); break;
                case Column<string>:
                    for (var i = 0; i < c.Length; i++)
                    {
                        Add<char>(c.AsText(i));
                    }

                    break;
                default: break;
            }
        }

        return h.ToString("x16", CultureInfo.InvariantCulture);
    }

    // ---------------------------------------------------------------- check: direct (folder) and general (any source) loads agree

    private static async Task<int> CheckAsync(string dir)
    {
        var failures = CheckNumbers();
        foreach (var kind in new[] { StepTableKind.Training, StepTableKind.Evaluation })
        {
            string Run(StepTable t) => Inv($"{t.RowCount} rows, {t.Report.BadLineCount} bad, {Fingerprint(t, EpisodeTable.Aggregate(t))}");
            string direct, general;
            try
            {
                using var a = await DeepRacerLog.OpenAsync(dir).ConfigureAwait(false);
                direct = Run(await a.LoadAsync(kind, TraceKind.Simtrace).ConfigureAwait(false));
                using var b = await DeepRacerLog.OpenAsync(new StreamOnlySource(dir)).ConfigureAwait(false);
                general = Run(await b.LoadAsync(kind, TraceKind.Simtrace).ConfigureAwait(false));
            }
            catch (DeepRacerLogException e)
            {
                Console.WriteLine(Inv($"{dir} {kind}: {e.Message}"));
                continue;
            }

            var same = direct == general;
            failures += same ? 0 : 1;
            Console.WriteLine(Inv($"{dir} {kind}: {(same ? "same" : "DIFFERENT")}: {direct} / {general}"));
        }

        return failures == 0 ? 0 : 1;
    }

    /// <summary>Random numbers in the shapes the traces hold (and malformed ones): Utf8Number.TryParseDouble equals double.Parse bit for bit.</summary>
    private static int CheckNumbers()
    {
        var random = new Random(12345);
        var failures = 0;
        var sb = new StringBuilder();
        const string Alphabet = "0123456789.-e+ ";
        for (var n = 0; n < 3_000_000; n++)
        {
            sb.Clear();
            if (random.Next(20) == 0)
            {
                var length = random.Next(0, 12);
                for (var k = 0; k < length; k++)
                {
                    sb.Append(Alphabet[random.Next(Alphabet.Length)]);
                }
            }
            else
            {
                if (random.Next(4) == 0)
                {
                    sb.Append('-');
                }

                var intDigits = random.Next(0, random.Next(2) == 0 ? 4 : 24);
                for (var k = 0; k < intDigits; k++)
                {
                    sb.Append((char)('0' + (k == 0 && random.Next(3) == 0 ? 0 : random.Next(10))));
                }

                if (random.Next(5) != 0)
                {
                    sb.Append('.');
                    var fracDigits = random.Next(0, random.Next(2) == 0 ? 20 : 30);
                    var zeros = random.Next(3) == 0 ? random.Next(0, 8) : 0;
                    for (var k = 0; k < fracDigits; k++)
                    {
                        sb.Append(k < zeros ? '0' : (char)('0' + random.Next(10)));
                    }
                }
            }

            var text = sb.ToString();
            var bytes = Encoding.ASCII.GetBytes(text);
            var okDouble = Utf8Number.TryParseDouble(bytes, out var d1);
            var parsed = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d2);
            if (parsed && (!okDouble || BitConverter.DoubleToInt64Bits(d1) != BitConverter.DoubleToInt64Bits(d2)))
            {
                if (failures++ < 10)
                {
                    Console.WriteLine(Inv($"number mismatch for '{text}': {d1:R} vs double.Parse {d2:R}"));
                }
            }
        }

        Console.WriteLine(Inv($"numbers: 3,000,000 random strings, {failures} mismatches"));
        return failures;
    }

    /// <summary>A folder seen as a plain stream source, so loads take the general (chunked) path.</summary>
    private sealed class StreamOnlySource(string root) : DeepRacer.Analysis.Sources.ModelSource
    {
        private readonly DeepRacer.Analysis.Sources.FolderSource _inner = new(root);

        public override string Description => _inner.Description;

        public override Task<IReadOnlyList<DeepRacer.Analysis.Sources.SourceFile>> ListAsync(CancellationToken cancellationToken = default) => _inner.ListAsync(cancellationToken);

        public override Task<Stream> OpenReadAsync(DeepRacer.Analysis.Sources.SourceFile file, CancellationToken cancellationToken = default) => _inner.OpenReadAsync(file, cancellationToken);
    }

    // ---------------------------------------------------------------- micro: single-thread parse of in-memory CSVs

    /// <summary>Parses every training CSV of a (small) folder from memory on one thread, 60 times; prints the best MB/s and ns/row.</summary>
    /// <summary>The streaming load (<see cref="DeepRacerLog.LoadEpisodesAsync"/>) in one process, <paramref name="runs"/> times: wall and CPU per run.</summary>
    private static async Task EpisodesAsync(string dir, int runs)
    {
        for (var i = 0; i < runs; i++)
        {
            var cpu = Environment.CpuUsage.TotalTime;
            var sw = Stopwatch.StartNew();
            using var log = await DeepRacerLog.OpenAsync(dir).ConfigureAwait(false);
            var episodes = await log.LoadEpisodesAsync(StepTableKind.Training).ConfigureAwait(false);
            var seconds = sw.Elapsed.TotalSeconds;
            var load = File.ReadAllText("/proc/loadavg").Split(' ')[0];
            Console.WriteLine(Inv($"episodes run {i + 1}: {seconds:F3} s wall, {(Environment.CpuUsage.TotalTime - cpu).TotalSeconds:F3} s CPU, {episodes.Report.Bytes / Mb / seconds:F0} MB/s, {episodes.RowCount} episodes, peak RSS {ReadStatusKb("VmHWM") / 1024} MB, load {load}"));
        }
    }

    private static void Micro(string dir)
    {
        var files = Directory.EnumerateFiles(dir, "*-iteration.csv", SearchOption.AllDirectories).Where(f => f.Contains("training-simtrace", StringComparison.Ordinal)).Select(File.ReadAllBytes).ToList();
        var bytes = files.Sum(f => (long)f.Length);
        foreach (var episodeColumnsOnly in new[] { false, true })
        {
            var best = double.MaxValue;
            var first = 0.0;
            var rows = 0;
            for (var round = 0; round < 60; round++)
            {
                var sw = Stopwatch.StartNew();
                rows = 0;
                foreach (var f in files)
                {
                    using var chunk = new StepChunk(f.Length / 140);
                    var parser = new SimtraceCsvParser(chunk, new StatusRegistry(), new BadLineCollector(), episodeColumnsOnly);
                    parser.Feed(f, isFinal: true);
                    parser.Complete();
                    rows += chunk.Count;
                }

                best = Math.Min(best, sw.Elapsed.TotalSeconds);
                first = round == 0 ? sw.Elapsed.TotalSeconds : first;
            }

            var columns = episodeColumnsOnly ? "episode columns" : "all columns";
            Console.WriteLine(Inv($"single-thread parse from memory ({columns}): {bytes / Mb:F1} MB, {rows:N0} rows, best of 60: {best * 1000:F1} ms = {bytes / Mb / best:F0} MB/s, {best * 1e9 / rows:F0} ns/row; first (cold JIT) {first * 1000:F1} ms"));
        }
    }

    // ---------------------------------------------------------------- profile (stopwatch split)

    private static async Task ProfileAsync(string dir)
    {
        using var log = await DeepRacerLog.OpenAsync(dir).ConfigureAwait(false);
        var files = log.Layout.TrainingTraces;
        var source = log.Source;
        var bytes = files.Sum(f => f.File.Length);
        var dop = source.MaxParallelReads;

        // Warm the JIT and the page cache on one full load first, so the split shows steady-state costs.
        var warmTable = await log.LoadTrainingTraceAsync().ConfigureAwait(false);
        GC.KeepAlive(EpisodeTable.Aggregate(warmTable));
        warmTable = null;
        GC.Collect(2, GCCollectionMode.Forced, true, true);

        var sw = Stopwatch.StartNew();
        await Parallel.ForEachAsync(files, new ParallelOptions { MaxDegreeOfParallelism = dop }, async (f, ct) =>
        {
            await using var s = await source.OpenReadAsync(f.File, ct).ConfigureAwait(false);
            BlockPump.Run(s, new NullParser());
        }).ConfigureAwait(false);
        var readSplit = sw.Elapsed.TotalSeconds;

        // The library's path for local folders: count pass, parse into the pinned table, finish.
        sw.Restart();
        var table = await log.LoadTrainingTraceAsync().ConfigureAwait(false);
        var load = sw.Elapsed.TotalSeconds;
        var split = TraceLoader.LastTimings;
        sw.Restart();
        var episodes = EpisodeTable.Aggregate(table);
        var aggregate = sw.Elapsed.TotalSeconds;
        var tableBytes = TableBytes(table);
        var rows = table.RowCount;
        var episodeCount = episodes.RowCount;
        table = null;
        episodes = null;
        GC.Collect(2, GCCollectionMode.Forced, true, true);

        // The general path (tar.gz, S3, any stream): parse into native chunks, then join them into the table.
        var statuses = new StatusRegistry();
        var badLines = new BadLineCollector();
        var chunks = new List<StepChunk>(files.Count);
        sw.Restart();
        await Parallel.ForEachAsync(files, new ParallelOptions { MaxDegreeOfParallelism = dop }, async (f, ct) =>
        {
            await using var s = await source.OpenReadAsync(f.File, ct).ConfigureAwait(false);
            var chunk = new StepChunk((int)Math.Max(f.File.Length / 140, 16)) { File = f.File.Path, FileIteration = f.Iteration, Worker = f.Worker };
            lock (chunks)
            {
                chunks.Add(chunk);
            }

            var parser = new SimtraceCsvParser(chunk, statuses, badLines);
            BlockPump.Run(s, parser);
            parser.Complete();
            chunk.Iteration.AsSpan(chunk.Count).Fill(f.Iteration);
        }).ConfigureAwait(false);
        var chunkParse = sw.Elapsed.TotalSeconds;
        sw.Restart();
        GC.KeepAlive(StepTableBuilder.Build(StepTableKind.Training, chunks, [], statuses.Names, new LoadReport(files.Count, bytes, 0, 0, [])));
        var build = sw.Elapsed.TotalSeconds;

        Console.WriteLine(Inv(
            $"| {bytes / Mb:F0} | {dop} | {readSplit:F3} ({bytes / Mb / readSplit:F0} MB/s) | {load:F3} ({bytes / Mb / load:F0} MB/s) | {split.CountSeconds:F3} | {split.ParseSeconds:F3} ({bytes / Mb / split.ParseSeconds:F0} MB/s) | {split.BuildSeconds:F3} | {aggregate:F3} | {chunkParse:F3} | {build:F3} | {rows:N0} rows, {episodeCount:N0} episodes | {tableBytes / Mb:F0} MB ({(double)tableBytes / rows:F0} B/row) |"));
    }

    private static long TableBytes(StepTable t) =>
        (long)t.RowCount * 0 + t.Iteration.Length * 4L + t.Episode.Length * 4L + t.Steps.Length * 4L + t.X.Length * 4L + t.Y.Length * 4L
        + t.Yaw.Length * 4L + t.SteeringAngle.Length * 4L + t.Speed.Length * 4L + t.Action.Length * 2L + t.Reward.Length * 8L + t.Done.Length
        + t.OnTrack.Length + t.Progress.Length * 8L + t.ClosestWaypoint.Length * 2L + t._trackLen.RunCount * 8L + t.Tstamp.Length * 8L
        + t.Status.Length + t._pauseDuration.RunCount * 8L + t.WallClock.Length * 8L + t.Worker.Length + t.UniqueEpisode.Length * 4L;

    /// <summary>Splits lines and does nothing else: the cost of I/O plus line splitting.</summary>
    private sealed class NullParser : LineParser
    {
        protected override void ParseLine(ReadOnlySpan<byte> line, bool isLastLineWithoutNewline)
        {
        }
    }

    // ---------------------------------------------------------------- data generation

    /// <summary>
    /// Replicates the sample's 23 iterations per worker as iterations k + 23r, shifting episode numbers by
    /// (new - old iteration) * E (E = the worker's episodes per iteration), until the CSVs reach the target size.
    /// </summary>
    private static long Generate(string sample, string target, long targetBytes)
    {
        var stamp = target + ".done";
        if (File.Exists(stamp) && Directory.Exists(target))
        {
            var expected = long.Parse(File.ReadAllText(stamp).Trim(), CultureInfo.InvariantCulture);
            var actual = Directory.EnumerateFiles(target, "*-iteration.csv", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
            if (actual == expected)
            {
                Console.WriteLine(Inv($"reusing {target} ({actual / Mb:F1} MB of training CSV)"));
                return actual;
            }
        }

        Console.WriteLine(Inv($"generating {target} (~{targetBytes / Mb:F0} MB) from {sample}"));
        if (Directory.Exists(target))
        {
            Directory.Delete(target, recursive: true);
        }

        foreach (var extra in new[] { "model", "ip" })
        {
            var from = Path.Combine(sample, extra);
            Directory.CreateDirectory(Path.Combine(target, extra));
            foreach (var f in Directory.EnumerateFiles(from))
            {
                File.Copy(f, Path.Combine(target, extra, Path.GetFileName(f)));
            }
        }

        var workers = Directory.EnumerateDirectories(sample).Select(Path.GetFileName).Where(n => n is { Length: > 0 } && n.All(char.IsAsciiDigit)).Order(StringComparer.Ordinal).ToList();
        var files = new Dictionary<(string Worker, int Iteration), byte[]>();
        var perIteration = new Dictionary<string, int>();
        long perReplica = 0;
        foreach (var w in workers)
        {
            for (var k = 0; k < SampleIterations; k++)
            {
                var bytes = File.ReadAllBytes(Path.Combine(sample, w!, "training-simtrace", Inv($"{k}-iteration.csv")));
                files[(w!, k)] = bytes;
                perReplica += bytes.Length;
            }

            perIteration[w!] = 1 + MaxEpisode(files[(w!, 0)]);
            Directory.CreateDirectory(Path.Combine(target, w!, "training-simtrace"));
        }

        long total = 0;
        var buffer = new MemoryStream();
        for (var r = 0; total < targetBytes; r++)
        {
            foreach (var w in workers)
            {
                for (var k = 0; k < SampleIterations; k++)
                {
                    var iteration = k + (SampleIterations * r);
                    var shift = (iteration - k) * perIteration[w!];
                    buffer.SetLength(0);
                    Renumber(files[(w!, k)], shift, buffer);
                    var path = Path.Combine(target, w!, "training-simtrace", Inv($"{iteration}-iteration.csv"));
                    using (var fs = File.Create(path))
                    {
                        fs.Write(buffer.GetBuffer(), 0, (int)buffer.Length);
                    }

                    total += buffer.Length;
                }
            }
        }

        File.WriteAllText(stamp, total.ToString(CultureInfo.InvariantCulture));
        Console.WriteLine(Inv($"generated {total / Mb:F1} MB ({total / perReplica} replicas of {perReplica / Mb:F2} MB; episodes per iteration {string.Join(", ", perIteration.Select(kv => $"worker {kv.Key}: {kv.Value}"))})"));
        return total;
    }

    private static int MaxEpisode(byte[] csv)
    {
        var max = -1;
        foreach (var line in Lines(csv).Skip(1))
        {
            var comma = line.Span.IndexOf((byte)',');
            if (comma > 0 && int.TryParse(line.Span[..comma], NumberStyles.Integer, CultureInfo.InvariantCulture, out var e))
            {
                max = Math.Max(max, e);
            }
        }

        return max;
    }

    /// <summary>Copies a simtrace CSV, adding <paramref name="shift"/> to the first (episode) column of every data line.</summary>
    private static void Renumber(byte[] csv, int shift, MemoryStream output)
    {
        var first = true;
        Span<byte> number = stackalloc byte[16];
        foreach (var line in Lines(csv))
        {
            var span = line.Span;
            var comma = span.IndexOf((byte)',');
            if (first || shift == 0 || comma <= 0 || !int.TryParse(span[..comma], NumberStyles.Integer, CultureInfo.InvariantCulture, out var episode))
            {
                output.Write(span);
            }
            else
            {
                (episode + shift).TryFormat(number, out var written, default, CultureInfo.InvariantCulture);
                output.Write(number[..written]);
                output.Write(span[comma..]);
            }

            first = false;
        }
    }

    /// <summary>Lines including their terminator.</summary>
    private static IEnumerable<ReadOnlyMemory<byte>> Lines(byte[] data)
    {
        var start = 0;
        while (start < data.Length)
        {
            var nl = Array.IndexOf(data, (byte)'\n', start);
            var end = nl < 0 ? data.Length : nl + 1;
            yield return data.AsMemory(start, end - start);
            start = end;
        }
    }

    // ---------------------------------------------------------------- report

    private static string Markdown(Options o, string data, long csvBytes, List<RunResult> cold, List<RunResult> warm, List<string> profile, RunResult floor)
    {
        var sb = new StringBuilder();
        var medColdMbs = Median(cold.Select(r => r.MbPerSecond));
        var medPeak = Median(cold.Select(r => (double)r.PeakRssBytes));
        var first = cold[0];
        sb.AppendLine(Inv($"# DeepRacer.Analysis load benchmark: {ResultName()}"));
        sb.AppendLine();
        sb.AppendLine(Inv($"- date (UTC): {DateTime.UtcNow:yyyy-MM-dd HH:mm}"));
        sb.AppendLine(Inv($"- CPU: {CpuModel()} ({Environment.ProcessorCount} logical cores), RAM {ReadMeminfoKb("MemTotal") / 1024 / 1024.0:F1} GiB"));
        sb.AppendLine(Inv($"- .NET {Environment.Version} ({RuntimeInformation.FrameworkDescription}), {RuntimeInformation.OSDescription}, Release, workstation non-concurrent GC"));
        sb.AppendLine(Inv($"- data: `{Path.GetFileName(data)}`, a DRfC 3-worker model generated from `{Sample}` (iterations k = 0..22 copied as k + 23r, episodes renumbered)"));
        sb.AppendLine(Inv($"- training CSV: {csvBytes / Mb:F1} MB in {first.Bytes / Mb:F1} MB read, {first.Rows:N0} steps, {first.Episodes:N0} episodes (MB = 10^6 bytes)"));
        sb.AppendLine(Inv($"- measured: `DeepRacerLog.OpenAsync` + `LoadTrainingTraceAsync` + `EpisodeTable.Aggregate`, wall clock; each cold run in a fresh process; result fingerprint {first.Fingerprint} (identical in all runs)"));
        sb.AppendLine(Inv($"- other builds may run on this machine at the same time: figures are medians of {cold.Count} cold and {warm.Count} warm runs"));
        sb.AppendLine();
        sb.AppendLine("## Summary");
        sb.AppendLine();
        sb.AppendLine("| metric | median | target | |");
        sb.AppendLine("|---|---:|---:|---|");
        sb.AppendLine(Inv($"| cold throughput (fresh process, incl. JIT) | {medColdMbs:F0} MB/s | >= 260 MB/s | {(medColdMbs >= 260 ? "met" : "NOT met")} |"));
        sb.AppendLine(Inv($"| cold CPU time (user + sys) | {Median(cold.Select(r => r.CpuSeconds)):F2} s | | {csvBytes / Mb / (Median(cold.Select(r => r.CpuSeconds)) / Environment.ProcessorCount):F0} MB/s if all {Environment.ProcessorCount} cores were free |"));
        if (warm.Count > 0)
        {
            var medWarm = Median(warm.Select(r => r.MbPerSecond));
            sb.AppendLine(Inv($"| warm throughput (2nd load in process) | {medWarm:F0} MB/s | | |"));
        }

        sb.AppendLine(Inv($"| peak RSS (VmHWM), cold | {medPeak / Mb:F0} MB | <= {0.6 * csvBytes / Mb:F0} MB | {(medPeak <= 0.6 * csvBytes ? "met" : "NOT met")} |"));
        sb.AppendLine(Inv($"| peak RSS / CSV size | {medPeak / csvBytes:F2} | <= 0.60 | |"));
        var medLoadPeak = Median(cold.Select(r => (double)r.PeakAfterLoadBytes));
        sb.AppendLine(Inv($"| peak RSS before aggregation (load only) | {medLoadPeak / Mb:F0} MB ({medLoadPeak / csvBytes:F2}) | | |"));
        sb.AppendLine(Inv($"| fixed part: peak RSS of the same load of the {floor.Bytes / Mb:F1} MB sample | {floor.PeakRssBytes / Mb:F0} MB | | |"));
        sb.AppendLine(Inv($"| (peak RSS - fixed part) / CSV size | {(medPeak - floor.PeakRssBytes) / csvBytes:F2} | | |"));
        sb.AppendLine();
        sb.AppendLine("## Runs");
        sb.AppendLine();
        sb.AppendLine("| run | load avg before | total s | MB/s | CPU s | open s | load s (count + parse + finish) | aggregate s | peak RSS MB | RSS anon/file at end MB | GC heap MB | allocated MB | GCs 0/1/2 | GC pause ms |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---|---:|---:|---|---:|---:|---|---:|");
        foreach (var (r, name) in cold.Select((r, i) => (r, Inv($"cold {i + 1}"))).Concat(warm.Select((r, i) => (r, Inv($"warm {i + 1}")))))
        {
            sb.AppendLine(Inv($"| {name} | {r.LoadAverage} | {r.Seconds:F3} | {r.MbPerSecond:F0} | {r.CpuSeconds:F2} | {r.OpenSeconds:F3} | {r.LoadSeconds:F3} ({r.CountSeconds:F3} + {r.ParseSeconds:F3} + {r.BuildSeconds:F3}) | {r.AggregateSeconds:F3} | {r.PeakRssBytes / Mb:F0} | {r.RssAnonBytes / Mb:F0}/{r.RssFileBytes / Mb:F0} | {r.GcHeapPeakBytes / Mb:F0} | {r.AllocatedBytes / Mb:F0} | {r.Gen0}/{r.Gen1}/{r.Gen2} | {r.GcPauseMs:F0} |"));
        }

        sb.AppendLine();
        sb.AppendLine("Warm runs load once, collect, reset VmHWM (`/proc/self/clear_refs` = 5) and measure the second load, so their peak RSS is that of the second load.");
        if (profile.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine("## Profile (stopwatch split, after one warm-up load, each in a fresh process)");
            sb.AppendLine();
            sb.AppendLine("| CSV MB | threads | read + line split only s | folder load s | count pass s | parse into table s | finish s (unique episode, sort check) | aggregate s | general path: parse into chunks s | general path: join s | result | table size |");
            sb.AppendLine("|---:|---:|---|---|---:|---|---:|---:|---:|---:|---|---|");
            foreach (var p in profile)
            {
                sb.AppendLine(p);
            }
        }

        sb.AppendLine();
        sb.AppendLine(Inv($"Reproduce: `bench/run.sh` (size {o.SizeMb} MB, {o.Runs} cold, {o.WarmRuns} warm, {o.ProfileRuns} profile runs)."));
        return sb.ToString();
    }

    private static double Median(IEnumerable<double> values)
    {
        var v = values.Order().ToArray();
        return v.Length == 0 ? double.NaN : v.Length % 2 == 1 ? v[v.Length / 2] : (v[(v.Length / 2) - 1] + v[v.Length / 2]) / 2;
    }

    private static string ResultName()
    {
        var slug = new string([.. CpuModel().ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')]).Trim('-');
        while (slug.Contains("--", StringComparison.Ordinal))
        {
            slug = slug.Replace("--", "-", StringComparison.Ordinal);
        }

        return Inv($"{Environment.MachineName.ToLowerInvariant()}-{slug}-{Environment.ProcessorCount}c");
    }

    private static string CpuModel()
    {
        try
        {
            return File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown-cpu";
        }
        catch (IOException)
        {
            return "unknown-cpu";
        }
    }

    // ---------------------------------------------------------------- /proc helpers

    private static long ReadStatusKb(string key) => ReadKb("/proc/self/status", key);

    private static long ReadMeminfoKb(string key) => ReadKb("/proc/meminfo", key);

    private static long ReadKb(string file, string key)
    {
        foreach (var line in File.ReadLines(file))
        {
            if (line.StartsWith(key + ":", StringComparison.Ordinal))
            {
                return long.Parse(line[(key.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }

        return -1;
    }

    /// <summary>Resident kB per mapping name (from /proc/self/smaps), largest first: where the RSS that is not the table lives.</summary>
    private static void PrintMappings()
    {
        var byName = new Dictionary<string, long>();
        var name = "";
        foreach (var line in File.ReadLines("/proc/self/smaps"))
        {
            if (line.Length > 0 && char.IsAsciiHexDigit(line[0]) && line.Contains('-', StringComparison.Ordinal) && !line.Contains(':', StringComparison.Ordinal) is var _)
            {
                var parts = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length >= 5 && parts[0].Contains('-', StringComparison.Ordinal))
                {
                    name = parts.Length == 6 ? parts[5].Trim() : "[anon]";
                    continue;
                }
            }

            if (line.StartsWith("Rss:", StringComparison.Ordinal))
            {
                byName[name] = byName.GetValueOrDefault(name) + long.Parse(line[4..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }

        foreach (var (n, kb) in byName.OrderByDescending(kv => kv.Value).Take(25))
        {
            Console.WriteLine(Inv($"{kb / 1024.0,8:F1} MB  {n}"));
        }
    }

    private static void ResetPeakRss() => File.WriteAllText("/proc/self/clear_refs", "5");

    private static string FindRepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "drlog.slnx")))
            {
                return d.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }

    private static string Inv(FormattableString s) => FormattableString.Invariant(s);

    // ---------------------------------------------------------------- types

    private sealed class Options
    {
        public double SizeMb { get; private set; } = 500;
        public int Runs { get; private set; } = 5;
        public int WarmRuns { get; private set; } = 3;
        public int ProfileRuns { get; private set; } = 3;
        public string? Data { get; private set; }
        public string? Results { get; private set; }
        public string? Measure { get; private set; }
        public string? Profile { get; private set; }
        public string? Check { get; private set; }
        public string? Micro { get; private set; }
        public string? Episodes { get; private set; }
        public string? Reward { get; private set; }
        public string Python { get; private set; } = "python3";
        public bool Warm { get; private set; }

        public static Options Parse(string[] args)
        {
            var o = new Options();
            for (var i = 0; i < args.Length; i++)
            {
                string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException("missing value after " + args[i]);
                switch (args[i])
                {
                    case "--size-mb": o.SizeMb = double.Parse(Next(), CultureInfo.InvariantCulture); break;
                    case "--runs": o.Runs = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                    case "--warm-runs": o.WarmRuns = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                    case "--profile-runs": o.ProfileRuns = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                    case "--data": o.Data = Path.GetFullPath(Next()); break;
                    case "--results": o.Results = Path.GetFullPath(Next()); break;
                    case "--measure": o.Measure = Next(); break;
                    case "--profile": o.Profile = Next(); break;
                    case "--check": o.Check = Next(); break;
                    case "--micro": o.Micro = Next(); break;
                    case "--episodes": o.Episodes = Next(); break;
                    case "--reward": o.Reward = Next(); break;
                    case "--python": o.Python = Next(); break;
                    case "--warm": o.Warm = true; break;
                    default: throw new ArgumentException("unknown argument " + args[i]);
                }
            }

            return o;
        }
    }

    private sealed record RunResult
    {
        public long Bytes { get; init; }
        public int Rows { get; init; }
        public int Episodes { get; init; }
        public double Seconds { get; init; }
        public double OpenSeconds { get; init; }
        public double LoadSeconds { get; init; }
        public double AggregateSeconds { get; init; }
        public long PeakRssBytes { get; init; }
        public long RssAfterBytes { get; init; }
        public long ManagedHeapBytes { get; init; }
        public long GcHeapPeakBytes { get; init; }
        public long AllocatedBytes { get; init; }
        public int Gen0 { get; init; }
        public int Gen1 { get; init; }
        public int Gen2 { get; init; }
        public double GcPauseMs { get; init; }
        public long RssAnonBytes { get; init; }
        public long RssFileBytes { get; init; }
        public double CpuSeconds { get; init; }
        public double CountSeconds { get; init; }
        public double ParseSeconds { get; init; }
        public double BuildSeconds { get; init; }
        public string Fingerprint { get; init; } = "";
        public string LoadAverage { get; init; } = "";
        public long PeakAfterLoadBytes { get; init; }

        public double MbPerSecond => Bytes / Mb / Seconds;

        public string ToLine() => Inv(
            $"{Bytes} {Rows} {Episodes} {Seconds:R} {OpenSeconds:R} {LoadSeconds:R} {AggregateSeconds:R} {PeakRssBytes} {RssAfterBytes} {ManagedHeapBytes} {GcHeapPeakBytes} {AllocatedBytes} {Gen0} {Gen1} {Gen2} {GcPauseMs:R} {Fingerprint} {RssAnonBytes} {RssFileBytes} {CpuSeconds:R} {CountSeconds:R} {ParseSeconds:R} {BuildSeconds:R} {PeakAfterLoadBytes}");

        public static RunResult FromLine(string line)
        {
            var p = line.Trim().Split(' ');
            long L(int i) => long.Parse(p[i], CultureInfo.InvariantCulture);
            double D(int i) => double.Parse(p[i], CultureInfo.InvariantCulture);
            return new RunResult
            {
                Bytes = L(0), Rows = (int)L(1), Episodes = (int)L(2), Seconds = D(3), OpenSeconds = D(4), LoadSeconds = D(5), AggregateSeconds = D(6),
                PeakRssBytes = L(7), RssAfterBytes = L(8), ManagedHeapBytes = L(9), GcHeapPeakBytes = L(10), AllocatedBytes = L(11),
                Gen0 = (int)L(12), Gen1 = (int)L(13), Gen2 = (int)L(14), GcPauseMs = D(15), Fingerprint = p[16],
                RssAnonBytes = L(17), RssFileBytes = L(18), CpuSeconds = D(19), CountSeconds = D(20), ParseSeconds = D(21), BuildSeconds = D(22), PeakAfterLoadBytes = L(23),
            };
        }
    }
}
