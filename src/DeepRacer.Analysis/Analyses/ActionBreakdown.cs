using DeepRacer.Analysis.Tables;
using DeepRacer.Analysis.Tracks;

namespace DeepRacer.Analysis.Analyses;

/// <summary>Where on the track one action (or one bin of a continuous action space) was taken.</summary>
/// <param name="Name">The reference's action name (<c>A:4 S:1.0, T:10.0 RIGHT</c>) or a continuous bin (<c>S:[1.0, 1.5) T:[-10.0, 0.0)</c>).</param>
/// <param name="Action">The discrete action index; null for a continuous bin.</param>
/// <param name="X">x of each selected step with this action.</param>
/// <param name="Y">y of each step.</param>
/// <param name="PerWaypoint">Steps per closest waypoint, index = waypoint (the reference's right-hand bar chart).</param>
public sealed record ActionSteps(string Name, int? Action, double[] X, double[] Y, int[] PerWaypoint);

/// <summary>
/// Which actions the car takes on each section of the track (the reference's <c>ActionBreakdownUtils</c>, spec 7.4), for
/// discrete action spaces by action index and for continuous ones by bins of steering angle and speed.
/// </summary>
/// <param name="Breakdown">The sections used.</param>
/// <param name="Counts">One row per (action, section): <c>action, name, section, first_waypoint, last_waypoint, steps, share</c>, where
/// share = steps / all selected steps in that section (action is −1 for continuous bins).</param>
/// <param name="Actions">Per action, its points and per-waypoint counts, ordered by action (continuous: steering, then speed).</param>
public sealed record ActionBreakdown(TrackBreakdown Breakdown, Table Counts, IReadOnlyList<ActionSteps> Actions)
{
    /// <summary>
    /// The reference's action names (<c>determine_action_names</c>): distinct (action, steering, speed) with speed &gt; 0, by action,
    /// named <c>A:{action} S:{speed}, T:{|steering|}{ LEFT| RIGHT|}</c> with Python float text. The first triple of an action names it.
    /// Values are the table's float32 ones, so <c>10.000000000000004</c> of a float64 log shows as <c>10.0</c>.
    /// </summary>
    public static IReadOnlyDictionary<int, string> ActionNames(StepTable steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        var triples = new SortedSet<(int Action, float Steering, float Speed)>();
        for (var i = 0; i < steps.RowCount; i++)
        {
            if (steps.Action[i] >= 0 && steps.Speed[i] > 0)
            {
                triples.Add((steps.Action[i], steps.SteeringAngle[i], steps.Speed[i]));
            }
        }

        return Names(triples);
    }

    /// <summary>Names the actions of the distinct (action, steering, speed) triples, added in table order.</summary>
    internal static Dictionary<int, string> Names(SortedSet<(int Action, float Steering, float Speed)> triples)
    {
        var names = new Dictionary<int, string>();
        foreach (var (action, steering, speed) in triples)
        {
            var dir = steering > 0 ? " LEFT" : steering < 0 ? " RIGHT" : "";
            names.TryAdd(action, $"A:{action} S:{Float(speed)}, T:{Float(Math.Abs(steering))}{dir}");
        }

        return names;
    }

    // float32 values print as their shortest float32 text (1.0, 0.7), which is what the log said.
    private static string Float(float value) => Statistics.PythonFloat(double.Parse(value.ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture));

    /// <summary>Counts the selected steps per action and section.</summary>
    /// <param name="steps">Training (or evaluation) steps.</param>
    /// <param name="track">The track (its waypoint count sizes the per-waypoint counts).</param>
    /// <param name="breakdown">Sections; ten even sections of the track when null.</param>
    /// <param name="rows">The steps to count (e.g. some episodes' rows); all when null.</param>
    /// <param name="minReward">Only steps with at least this reward (the reference uses 0); all when null.</param>
    /// <param name="steeringBin">Continuous spaces: width of a steering bin, degrees.</param>
    /// <param name="speedBin">Continuous spaces: width of a speed bin, m/s.</param>
    public static ActionBreakdown Analyze(StepTable steps, Track track, TrackBreakdown? breakdown = null, int[]? rows = null, double? minReward = null, double steeringBin = 10, double speedBin = 0.5)
    {
        ArgumentNullException.ThrowIfNull(steps);
        ArgumentNullException.ThrowIfNull(track);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(steeringBin);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(speedBin);
        breakdown ??= TrackBreakdown.Even(track);
        var names = ActionNames(steps);
        var selected = (rows ?? Enumerable.Range(0, steps.RowCount)).Where(i => minReward is not { } m || steps.Reward[i] >= m).ToList();

        // Discrete steps group by index; continuous ones (action -1) by the lower edges of their steering and speed bins.
        (int Action, double Steer, double Speed) Key(int i) => steps.Action[i] >= 0
            ? (steps.Action[i], 0, 0)
            : (-1, Math.Floor(steps.SteeringAngle[i] / steeringBin) * steeringBin, Math.Floor(steps.Speed[i] / speedBin) * speedBin);
        string Name((int Action, double Steer, double Speed) k) => GroupName(names, k, steeringBin, speedBin);

        var waypoints = Math.Max(track.WaypointCount, selected.Count == 0 ? 0 : selected.Max(i => steps.ClosestWaypoint[i]) + 1);
        var groups = selected.GroupBy(Key).OrderBy(g => g.Key.Action).ThenBy(g => g.Key.Steer).ThenBy(g => g.Key.Speed).ToList();
        var sectionTotals = breakdown.Sections.Select(s => selected.Count(i => s.Contains(steps.ClosestWaypoint[i]))).ToArray();

        var actions = new List<ActionSteps>();
        foreach (var g in groups)
        {
            var perWaypoint = new int[waypoints];
            foreach (var i in g)
            {
                if (steps.ClosestWaypoint[i] >= 0)
                {
                    perWaypoint[steps.ClosestWaypoint[i]]++;
                }
            }

            var name = Name(g.Key);
            actions.Add(new ActionSteps(name, g.Key.Action >= 0 ? g.Key.Action : null, [.. g.Select(i => (double)steps.X[i])], [.. g.Select(i => (double)steps.Y[i])], perWaypoint));
        }

        return new ActionBreakdown(breakdown, CountsTable(breakdown, waypoints, actions, sectionTotals), actions);
    }

    /// <summary>A group's name: the action's, or its continuous bin's.</summary>
    internal static string GroupName(IReadOnlyDictionary<int, string> names, (int Action, double Steer, double Speed) k, double steeringBin, double speedBin) => k.Action >= 0
        ? names.GetValueOrDefault(k.Action) ?? $"A:{k.Action}"
        : $"S:[{Statistics.PythonFloat(k.Speed)}, {Statistics.PythonFloat(k.Speed + speedBin)}) T:[{Statistics.PythonFloat(k.Steer)}, {Statistics.PythonFloat(k.Steer + steeringBin)})";

    /// <summary>The <see cref="Counts"/> table: one row per (group, section), groups in their order.</summary>
    internal static Table CountsTable(TrackBreakdown breakdown, int waypoints, IEnumerable<ActionSteps> groups, int[] sectionTotals)
    {
        var cAction = new List<int>();
        var cName = new List<string>();
        var cSection = new List<string>();
        var cFirst = new List<int>();
        var cLast = new List<int>();
        var cSteps = new List<int>();
        var cShare = new List<double>();
        foreach (var group in groups)
        {
            var perWaypoint = group.PerWaypoint;
            var name = group.Name;
            for (var s = 0; s < breakdown.Sections.Count; s++)
            {
                var section = breakdown.Sections[s];
                var n = 0;
                for (var w = Math.Max(0, section.First); w <= Math.Min(waypoints - 1, section.Last); w++)
                {
                    n += perWaypoint[w];
                }

                cAction.Add(group.Action ?? -1);
                cName.Add(name);
                cSection.Add(section.Name);
                cFirst.Add(section.First);
                cLast.Add(section.Last);
                cSteps.Add(n);
                cShare.Add(sectionTotals[s] == 0 ? double.NaN : (double)n / sectionTotals[s]);
            }
        }

        return new Table(
        [
            new Column<int>("action", [.. cAction]),
            new Column<string>("name", [.. cName]),
            new Column<string>("section", [.. cSection]),
            new Column<int>("first_waypoint", [.. cFirst]),
            new Column<int>("last_waypoint", [.. cLast]),
            new Column<int>("steps", [.. cSteps]),
            new Column<double>("share", [.. cShare]),
        ]);
    }
}

/// <summary>
/// <see cref="ActionBreakdown.Analyze"/>'s counts of every step, fed one block of steps at a time in table order (a streamed
/// report): per action group and waypoint, without keeping the steps or their positions.
/// </summary>
internal sealed class ActionCounter(Track track, TrackBreakdown breakdown, double steeringBin = 10, double speedBin = 0.5)
{
    private readonly SortedSet<(int Action, float Steering, float Speed)> _triples = [];
    private readonly Dictionary<(int Action, double Steer, double Speed), int> _groupOf = [];
    private readonly List<((int Action, double Steer, double Speed) Key, int[] PerWaypoint)> _groups = [];

    // Steps per closest waypoint over all groups, for the section totals; indexed by waypoint + 32768 (the column is a short).
    private readonly long[] _perWaypoint = new long[1 << 16];
    private int _maxWaypoint = int.MinValue;

    /// <summary>Counts one step (all steps are selected, as the report's <c>Analyze(steps, track)</c>).</summary>
    public void Add(short action, float steering, float speed, short closestWaypoint)
    {
        if (action >= 0 && speed > 0)
        {
            _triples.Add((action, steering, speed));
        }

        var key = action >= 0 ? (action, 0, 0) : (-1, Math.Floor(steering / steeringBin) * steeringBin, Math.Floor(speed / speedBin) * speedBin);
        if (!_groupOf.TryGetValue(key, out var g))
        {
            _groupOf[key] = g = _groups.Count;
            _groups.Add((key, new int[Math.Max(track.WaypointCount, 1)]));
        }

        _maxWaypoint = Math.Max(_maxWaypoint, closestWaypoint);
        _perWaypoint[closestWaypoint + 32768]++;
        if (closestWaypoint >= 0)
        {
            var counts = _groups[g].PerWaypoint;
            if (closestWaypoint >= counts.Length)
            {
                Array.Resize(ref counts, Math.Max(closestWaypoint + 1, counts.Length * 2));
                _groups[g] = (_groups[g].Key, counts);
            }

            counts[closestWaypoint]++;
        }
    }

    /// <summary>The counts table of <see cref="ActionBreakdown.Counts"/>.</summary>
    public Table Counts()
    {
        var names = ActionBreakdown.Names(_triples);
        var waypoints = Math.Max(track.WaypointCount, _groups.Count == 0 ? 0 : _maxWaypoint + 1);
        var groups = _groups.OrderBy(g => g.Key.Action).ThenBy(g => g.Key.Steer).ThenBy(g => g.Key.Speed)
            .Select(g =>
            {
                var perWaypoint = new int[waypoints];
                g.PerWaypoint.AsSpan(0, Math.Min(waypoints, g.PerWaypoint.Length)).CopyTo(perWaypoint);
                return new ActionSteps(ActionBreakdown.GroupName(names, g.Key, steeringBin, speedBin), g.Key.Action >= 0 ? g.Key.Action : null, [], [], perWaypoint);
            });
        var sectionTotals = breakdown.Sections.Select(s =>
        {
            long n = 0;
            for (var w = Math.Max(s.First, short.MinValue); w <= Math.Min(s.Last, short.MaxValue); w++)
            {
                n += _perWaypoint[w + 32768];
            }

            return (int)n;
        }).ToArray();
        return ActionBreakdown.CountsTable(breakdown, waypoints, groups, sectionTotals);
    }
}
