#:project ../src/DeepRacer.Analysis/DeepRacer.Analysis.csproj

// Reward replay in C#: what would a reward function have given the steps the car actually drove? From the repository root:
//   dotnet run examples/reward-replay.cs [MODEL] [REWARD_FUNCTION.py]
// The C# function below is the drfc-1 sample's reward_function.py; the Python file runs unchanged in CPython workers.
using DeepRacer.Analysis;
using DeepRacer.Analysis.Episodes;
using DeepRacer.Analysis.Rewards;

var model = args.Length > 0 ? args[0] : "samples/sample-drfc-1-logs";
var python = args.Length > 1 ? args[1] : "examples/rewards/speed_on_track.py";

using var log = await DeepRacerLog.OpenAsync(model);
var steps = await log.LoadTrainingTraceAsync();
var track = (await log.ResolveTrackAsync(steps: steps)).Track;

// 1. A reward function written in C#: params are typed, computed as the simulator computes them.
static double FollowCenterLine(RewardParams p) =>
    p.DistanceFromCenter <= 0.1 * p.TrackWidth ? 1.0
    : p.DistanceFromCenter <= 0.25 * p.TrackWidth ? 0.5
    : p.DistanceFromCenter <= 0.5 * p.TrackWidth ? 0.1
    : 1e-3;

var own = RewardComparison.Analyze(RewardReplay.Run(steps, track, FollowCenterLine));
Console.WriteLine($"C# follow-the-centre-line on {track.Name}: {own.MatchingSteps} of {own.Steps} steps give the logged reward ({own.Agreement:P3})");

// 2. A racer's Python file, unchanged, in one CPython worker per core.
using var function = await PythonRewardFunction.StartAsync(python);
var replay = await RewardReplay.RunAsync(steps, track, function);
var other = RewardComparison.Analyze(replay);
Console.WriteLine($"{Path.GetFileName(python)}: episode totals correlate at {other.EpisodeCorrelation:0.000} with the logged ones ({replay.StepsPerSecond:N0} steps/s)");

// 3. The episode table with new_reward filled, and the episodes the new function ranks very differently.
var episodes = EpisodeTable.Aggregate(steps, replay.NewRewardPerRow());
Console.WriteLine($"{episodes.RowCount} episodes; largest rank changes:");
var changes = other.RankChanges(5);
for (var i = 0; i < changes.RowCount; i++)
{
    Console.WriteLine($"  iteration {changes["iteration"].Format(i)}, episode {changes["episode"].Format(i)}: rank {changes["rank"].Format(i)} -> {changes["new_rank"].Format(i)}");
}
