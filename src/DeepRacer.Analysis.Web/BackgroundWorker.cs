using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace DeepRacer.Analysis.Web;

/// <summary>
/// One thread, at low priority, that computes the answers reading every step (simulator health, heat maps, the track
/// page) one after another. Requests are served by the thread pool: work on the pool would starve it on a 2-core
/// machine (a request then waits for the pool to grow, half a second at a time), and at low priority the CPU goes to
/// requests first.
/// </summary>
internal sealed partial class BackgroundWorker : IDisposable
{
    private readonly BlockingCollection<Action> _queue = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;

    public BackgroundWorker()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "drlog background", Priority = ThreadPriority.BelowNormal };
        _thread.Start();
    }

    /// <summary>Queues a computation; the task completes with its result (or its exception).</summary>
    public Task<T> Enqueue<T>(Func<T> compute)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            _queue.Add(() =>
            {
                try
                {
                    done.SetResult(compute());
                }
                catch (OperationCanceledException)
                {
                    done.SetCanceled();
                }
                catch (Exception e)
                {
                    done.SetException(e);
                }
            });
        }
        catch (InvalidOperationException)
        {
            // Stopping: nothing will compute it any more.
            done.SetCanceled();
        }

        return done.Task;
    }

    private void Run()
    {
        LowerPriority();
        try
        {
            foreach (var job in _queue.GetConsumingEnumerable(_stop.Token))
            {
                job();
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped: what is still queued is dropped (nobody waits for it).
        }
    }

    /// <summary>On Linux .NET ignores thread priorities: the thread's nice value does it (a thread may always lower its own).</summary>
    private static void LowerPriority()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        try
        {
            _ = SetPriority(0 /* PRIO_PROCESS: with a thread id, that thread */, GetThreadId(), 10);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc: the work still runs, only at normal priority.
        }
    }

    [LibraryImport("libc", EntryPoint = "setpriority")]
    private static partial int SetPriority(int which, int who, int priority);

    [LibraryImport("libc", EntryPoint = "gettid")]
    private static partial int GetThreadId();

    /// <summary>Stops after the computation under way (the thread is a background one: it never holds the process).</summary>
    public void Dispose()
    {
        _queue.CompleteAdding();
        _stop.Cancel();
    }
}
