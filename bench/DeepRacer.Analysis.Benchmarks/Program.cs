using DeepRacer.Analysis;
using DeepRacer.Analysis.Episodes;
using DeepRacer.Analysis.Tables;

foreach (var s in args)
{
    using var log = await DeepRacerLog.OpenAsync(s);
    Console.WriteLine($"{s}: {log.FolderType}");
    foreach (var kind in new[] { StepTableKind.Training, StepTableKind.Evaluation, StepTableKind.Leaderboard })
    {
        foreach (var tk in new[] { TraceKind.Simtrace, TraceKind.Logs })
        {
            try
            {
                var t = await log.LoadAsync(kind, tk);
                var e = EpisodeTable.Aggregate(t);
                var c = e.CompletedLaps();
                var best = c.RowCount > 0 ? c.Time.ToArray().Min() : double.NaN;
                Console.WriteLine($"  {kind}/{tk}: rows {t.RowCount} workers {t.WorkerCount} episodes {e.RowCount} complete {c.RowCount} best {best} bad {t.Report.BadLineCount} {string.Join(';', t.Report.FirstBadLines)}");
            }
            catch (DeepRacerLogException ex) { Console.WriteLine($"  {kind}/{tk}: {ex.Message}"); }
        }
    }
}
