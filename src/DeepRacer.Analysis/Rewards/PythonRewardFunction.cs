using System.Buffers.Binary;
using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using DeepRacer.Analysis.Tables;

namespace DeepRacer.Analysis.Rewards;

/// <summary>Options of <see cref="PythonRewardFunction"/>.</summary>
public sealed record PythonRewardOptions
{
    /// <summary>The interpreter: a path or a name on PATH.</summary>
    public string Python { get; init; } = "python3";

    /// <summary>Worker processes; each imports the function once and keeps its module state.</summary>
    public int Workers { get; init; } = Environment.ProcessorCount;

    /// <summary>How long one batch of steps may take before the function counts as hanging.</summary>
    public TimeSpan BatchTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Steps per batch (batches end at an episode's end, so a worker sees whole episodes in order).</summary>
    public int BatchSize { get; init; } = 8192;

    /// <summary>Count failing steps (reward NaN) and go on, instead of stopping at the first.</summary>
    public bool SkipErrors { get; init; }
}

/// <summary>
/// A user's <c>reward_function.py</c> run by CPython worker processes (one per core by default): each imports the file
/// unchanged and evaluates batches of params sent over stdin/stdout in a compact binary format (README "Reward replay").
/// </summary>
/// <remarks>
/// The workers end when this object is disposed, when their stdin closes, or when this process dies (they watch their
/// parent), so a driver never outlives the program that started it.
/// </remarks>
public sealed class PythonRewardFunction : IDisposable
{
    private static readonly Lazy<string> s_driver = new(() =>
    {
        using var stream = typeof(PythonRewardFunction).Assembly.GetManifestResourceStream("rewards/reward_driver.py")
            ?? throw new InvalidOperationException("The reward driver resource is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    private readonly List<Worker> _workers = [];

    private PythonRewardFunction(string path, PythonRewardOptions options)
    {
        FunctionPath = path;
        Options = options;
    }

    /// <summary>The function's file.</summary>
    public string FunctionPath { get; }

    /// <summary>The options it runs with.</summary>
    public PythonRewardOptions Options { get; }

    /// <summary>Starts the workers and imports the function in each.</summary>
    /// <exception cref="RewardFunctionException">No interpreter, no file, the file does not import, or it has no <c>reward_function</c>.</exception>
    public static async Task<PythonRewardFunction> StartAsync(string functionPath, PythonRewardOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(functionPath);
        options ??= new PythonRewardOptions();
        if (!File.Exists(functionPath))
        {
            throw new RewardFunctionException(RewardErrorKind.FileNotFound, $"Reward function file {functionPath} does not exist; give the path of a reward_function.py.");
        }

        var function = new PythonRewardFunction(Path.GetFullPath(functionPath), options);
        try
        {
            var starts = Enumerable.Range(0, Math.Max(1, options.Workers)).Select(_ => function.StartWorker()).ToList();
            foreach (var worker in starts)
            {
                function._workers.Add(worker);
            }

            await Task.WhenAll(function._workers.Select(w => w.HandshakeAsync(cancellationToken))).ConfigureAwait(false);
        }
        catch
        {
            function.Dispose();
            throw;
        }

        return function;
    }

    /// <summary>
    /// Evaluates the function on every step of <paramref name="table"/>; the reward of step i goes to <paramref name="rewards"/>[i]
    /// (NaN where the function failed and <see cref="PythonRewardOptions.SkipErrors"/> is on).
    /// </summary>
    /// <returns>The number of failed steps, and the first failure (null when none).</returns>
    /// <exception cref="RewardFunctionException">A step failed (without SkipErrors), a batch timed out, or a worker died.</exception>
    public async Task<(int Errors, RewardFunctionException? First)> EvaluateAsync(RewardParamsTable table, double[] rewards, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(rewards);
        var batches = Batches(table, Math.Max(1, Options.BatchSize));
        var next = -1;
        var errors = 0;
        RewardFunctionException? first = null;
        var firstIndex = int.MaxValue;
        var gate = new Lock();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        foreach (var worker in _workers)
        {
            await worker.InitAsync(table, Options.SkipErrors, stop.Token).ConfigureAwait(false);
        }

        // After a failure no worker takes a new batch, but batches already running finish: they all come before the
        // failing one in table order, so the error reported is the first one in the table, whichever worker was faster.
        var failed = 0;
        async Task RunAsync(Worker worker)
        {
            int b;
            while (Volatile.Read(ref failed) == 0 && (b = Interlocked.Increment(ref next)) < batches.Count && !stop.IsCancellationRequested)
            {
                var (start, count) = batches[b];
                var failures = await worker.EvaluateAsync(table, start, count, rewards, Options.BatchTimeout, stop.Token).ConfigureAwait(false);
                if (failures.Count == 0)
                {
                    continue;
                }

                lock (gate)
                {
                    errors += failures.Count;
                    var (index, kind, text) = failures[0];
                    if (start + index < firstIndex)
                    {
                        firstIndex = start + index;
                        first = StepError(table, start + index, kind, text);
                    }
                }

                if (!Options.SkipErrors)
                {
                    Volatile.Write(ref failed, 1);
                    return;
                }
            }
        }

        var tasks = _workers.Select(w => Task.Run(() => RunAsync(w), CancellationToken.None)).ToList();
        try
        {
            await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (first is not null && !cancellationToken.IsCancellationRequested)
        {
            // Another worker was stopped because of the failure reported below.
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (first is not null && !Options.SkipErrors)
        {
            throw first;
        }

        return (errors, first);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var worker in _workers)
        {
            worker.Dispose();
        }

        _workers.Clear();
    }

    internal static StepLocation Locate(StepTable steps, int row) => new(
        steps.Iteration[row],
        steps.Episode[row],
        steps.Steps[row],
        steps.Kind == StepTableKind.Training && steps.WorkerCount > 1 ? steps.Worker[row] : null,
        steps.Kind == StepTableKind.Training ? null : steps.Streams[steps.Stream[row]]);

    internal static RewardFunctionException StepError(RewardParamsTable table, int index, RewardErrorKind kind, string details)
    {
        var where = Locate(table.Steps, table.SourceRows[index]);
        var what = kind switch
        {
            RewardErrorKind.Raised => "raised " + LastLine(details),
            RewardErrorKind.NotANumber => "returned " + details + ", not a number",
            _ => "returned " + details + ", not a finite number",
        };
        return new RewardFunctionException(kind, $"reward_function {what} at {where}.", where, table[index], kind == RewardErrorKind.Raised ? details : null);
    }

    private static string LastLine(string text) =>
        text.TrimEnd().Split('\n') is { Length: > 0 } lines ? lines[^1].Trim() : text;

    /// <summary>Batches of about <paramref name="size"/> steps that end where an episode ends.</summary>
    private static List<(int Start, int Count)> Batches(RewardParamsTable table, int size)
    {
        var steps = table.Steps;
        var rows = table.SourceRows;
        var training = steps.Kind == StepTableKind.Training;
        long Key(int row) => training ? steps.UniqueEpisode[row] : ((long)steps.Stream[row] << 32) | (uint)steps.Episode[row];
        var batches = new List<(int, int)>();
        var start = 0;
        for (var i = 1; i <= rows.Length; i++)
        {
            if (i == rows.Length || (i - start >= size && Key(rows[i]) != Key(rows[i - 1])))
            {
                batches.Add((start, i - start));
                start = i;
            }
        }

        return batches;
    }

    private Worker StartWorker()
    {
        var info = new ProcessStartInfo(Options.Python)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(FunctionPath)!,
        };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(s_driver.Value);
        info.ArgumentList.Add(FunctionPath);
        // The user's folder stays as it was: no __pycache__ next to the reward function.
        info.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        try
        {
            return new Worker(Process.Start(info) ?? throw new Win32Exception(), FunctionPath);
        }
        catch (Win32Exception e)
        {
            throw new RewardFunctionException(
                RewardErrorKind.PythonNotFound,
                $"Python interpreter '{Options.Python}' could not be started ({e.Message}); install Python 3 or give the path of an interpreter.");
        }
    }

    /// <summary>One driver process and its pipes.</summary>
    private sealed class Worker : IDisposable
    {
        private readonly Process _process;
        private readonly string _functionPath;
        private readonly Stream _input;
        private readonly Stream _output;
        private readonly Queue<string> _stderrTail = new();
        private readonly Task _stderrPump;
        private byte[] _buffer = [];

        public Worker(Process process, string functionPath)
        {
            _process = process;
            _functionPath = functionPath;
            _input = process.StandardInput.BaseStream;
            _output = process.StandardOutput.BaseStream;
            _stderrPump = Task.Run(PumpStderrAsync);
        }

        public async Task HandshakeAsync(CancellationToken cancellationToken)
        {
            // Importing numpy or a big module can take a few seconds on a busy machine.
            var frame = await ReadFrameAsync(TimeSpan.FromSeconds(60), cancellationToken, "importing the reward function").ConfigureAwait(false);
            if (frame.Span[0] == (byte)'R')
            {
                return;
            }

            var text = Encoding.UTF8.GetString(frame.Span[2..]).TrimEnd();
            throw frame.Span[1] == 2
                ? new RewardFunctionException(RewardErrorKind.NoFunction, $"{_functionPath} defines no reward_function(params); define it as the console expects.")
                : new RewardFunctionException(RewardErrorKind.LoadFailed, $"{_functionPath} could not be imported: {LastLine(text)}; fix the file (it must run under python3 as it is).", details: text);
        }

        public async Task InitAsync(RewardParamsTable table, bool skipErrors, CancellationToken cancellationToken)
        {
            var waypoints = table.Track.CenterLine;
            var length = 4 + 1 + 14 + (16 * waypoints.Length);
            var frame = new byte[length];
            BinaryPrimitives.WriteInt32LittleEndian(frame, length - 4);
            frame[4] = (byte)'I';
            BinaryPrimitives.WriteInt32LittleEndian(frame.AsSpan(5), waypoints.Length);
            BinaryPrimitives.WriteDoubleLittleEndian(frame.AsSpan(9), table.Track.Length);
            frame[17] = table.IsReversed ? (byte)1 : (byte)0;
            frame[18] = skipErrors ? (byte)1 : (byte)0;
            MemoryMarshal.AsBytes(waypoints).CopyTo(frame.AsSpan(19));
            await WriteAsync(frame, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>Sends one batch, reads the rewards back; returns the failed steps (index in the batch, kind, text).</summary>
        public async Task<List<(int Index, RewardErrorKind Kind, string Text)>> EvaluateAsync(
            RewardParamsTable table, int start, int count, double[] rewards, TimeSpan timeout, CancellationToken cancellationToken)
        {
            var length = 12 + (count * ((10 * 8) + (2 * 4) + 1));
            if (_buffer.Length < length)
            {
                _buffer = new byte[length];
            }

            var frame = _buffer.AsSpan(0, length);
            BinaryPrimitives.WriteInt32LittleEndian(frame, length - 4);
            frame[4] = (byte)'B';
            BinaryPrimitives.WriteInt32LittleEndian(frame[5..], count);
            var o = 12;
            foreach (var column in (double[][])[table.X, table.Y, table.Heading, table.Speed, table.SteeringAngle, table.Progress,
                table.StepNumber, table.DistanceFromCenter, table.TrackWidth, table.ProjectionDistance])
            {
                MemoryMarshal.AsBytes(column.AsSpan(start, count)).CopyTo(frame[o..]);
                o += 8 * count;
            }

            MemoryMarshal.AsBytes(table.Previous.AsSpan(start, count)).CopyTo(frame[o..]);
            o += 4 * count;
            MemoryMarshal.AsBytes(table.Next.AsSpan(start, count)).CopyTo(frame[o..]);
            o += 4 * count;
            table.Flags.AsSpan(start, count).CopyTo(frame[o..]);
            await WriteAsync(_buffer.AsMemory(0, length), cancellationToken).ConfigureAwait(false);

            var reply = await ReadFrameAsync(timeout, cancellationToken, $"a batch of {count} steps from {Locate(table.Steps, table.SourceRows[start])}").ConfigureAwait(false);
            var span = reply.Span;
            var errorCount = BinaryPrimitives.ReadInt32LittleEndian(span[5..]);
            MemoryMarshal.Cast<byte, double>(span.Slice(12, 8 * count)).CopyTo(rewards.AsSpan(start, count));
            var failures = new List<(int, RewardErrorKind, string)>(errorCount);
            var at = 12 + (8 * count);
            for (var e = 0; e < errorCount; e++)
            {
                var index = BinaryPrimitives.ReadInt32LittleEndian(span[at..]);
                var kind = span[at + 4] switch { 3 => RewardErrorKind.Raised, 4 => RewardErrorKind.NotANumber, _ => RewardErrorKind.NotFinite };
                var size = BinaryPrimitives.ReadInt32LittleEndian(span[(at + 5)..]);
                failures.Add((index, kind, Encoding.UTF8.GetString(span.Slice(at + 9, size))));
                at += 9 + size;
            }

            return failures;
        }

        public void Dispose()
        {
            try
            {
                // A closed stdin ends the driver between batches; a function that hangs is killed.
                _input.Dispose();
                if (!_process.WaitForExit(500))
                {
                    _process.Kill(entireProcessTree: true);
                    _process.WaitForExit(2000);
                }
            }
            catch (Exception e) when (e is InvalidOperationException or IOException or Win32Exception)
            {
                // The process is gone already.
            }

            _process.Dispose();
        }

        private async Task WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
        {
            try
            {
                await _input.WriteAsync(data, cancellationToken).ConfigureAwait(false);
                await _input.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (IOException)
            {
                throw Exited("receiving steps");
            }
        }

        /// <summary>Reads one frame (the type byte first); the payload excludes the length prefix. Slices of the reply buffer.</summary>
        private async Task<ReadOnlyMemory<byte>> ReadFrameAsync(TimeSpan timeout, CancellationToken cancellationToken, string what)
        {
            using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timer.CancelAfter(timeout);
            try
            {
                var head = new byte[4];
                if (!await ReadExactlyAsync(head, timer.Token).ConfigureAwait(false))
                {
                    throw Exited(what);
                }

                var size = BinaryPrimitives.ReadInt32LittleEndian(head);
                var body = new byte[size];
                if (size == 0 || !await ReadExactlyAsync(body, timer.Token).ConfigureAwait(false))
                {
                    throw Exited(what);
                }

                return body;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                Kill();
                throw new RewardFunctionException(
                    RewardErrorKind.Timeout,
                    $"reward_function did not return within {timeout.TotalSeconds:0.#} s while {what}; it may loop forever or be very slow (allow more time per batch).");
            }
        }

        private async Task<bool> ReadExactlyAsync(Memory<byte> buffer, CancellationToken cancellationToken)
        {
            var read = 0;
            while (read < buffer.Length)
            {
                var n = await _output.ReadAsync(buffer[read..], cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    return false;
                }

                read += n;
            }

            return true;
        }

        private RewardFunctionException Exited(string what)
        {
            Kill();
            _stderrPump.Wait(1000);
            string tail;
            lock (_stderrTail)
            {
                tail = string.Join(Environment.NewLine, _stderrTail);
            }

            var code = _process.HasExited ? $" with exit code {_process.ExitCode}" : string.Empty;
            return new RewardFunctionException(RewardErrorKind.WorkerExited, $"The Python worker ended{code} while {what}; its last output is below.", details: tail);
        }

        private void Kill()
        {
            try
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(2000);
            }
            catch (Exception e) when (e is InvalidOperationException or Win32Exception)
            {
                // Already gone.
            }
        }

        private async Task PumpStderrAsync()
        {
            // Drained continuously so a function that prints can never block on a full pipe; the tail explains a crash.
            try
            {
                while (await _process.StandardError.ReadLineAsync().ConfigureAwait(false) is { } line)
                {
                    lock (_stderrTail)
                    {
                        _stderrTail.Enqueue(line);
                        if (_stderrTail.Count > 20)
                        {
                            _stderrTail.Dequeue();
                        }
                    }
                }
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
            {
                // The process went away.
            }
        }
    }
}
