namespace Gateway.Proxy.Hosting;

/// <summary>
/// Runs a long-lived background loop on a thread of its own: the loop and every continuation of
/// its awaits (which capture the current <see cref="TaskScheduler"/>) execute there, never on the
/// thread pool. For the loops that block in the kernel (the usage spool's writes and fsyncs, the
/// ledger's appends): on a 2-core host the pool starts with two threads, and a pool thread held
/// by an fsync is one the request path does not have.
/// </summary>
/// <remarks>
/// A loop run here must not call <c>Task.Factory.StartNew</c> without a scheduler (it would land
/// here too) and must not use <c>ConfigureAwait(false)</c> around blocking work (that would move
/// the blocking back to the pool).
/// </remarks>
internal sealed class DedicatedThread : TaskScheduler
{
    // A plain queue under a monitor, not a BlockingCollection: its SemaphoreSlim spins (sched_yield)
    // before it sleeps, and on the proxy's core the spool writer woken for each record spent 12 %
    // of the core spinning at c=1 (docs/benchmarks.notes.md). Monitor.Wait sleeps at once.
    private readonly Queue<Task> _queue = new();
    private readonly object _gate = new();
    private readonly Thread _thread;
    private bool _waiting;
    private bool _closed;

    private DedicatedThread(string name)
    {
        _thread = new Thread(Drain) { IsBackground = true, Name = name };
        _thread.Start();
    }

    /// <summary>Starts <paramref name="loop"/> on a new thread named <paramref name="name"/>; the thread ends when the loop's task does.</summary>
    public static Task Run(string name, Func<Task> loop)
    {
        var scheduler = new DedicatedThread(name);
        var task = Task.Factory.StartNew(loop, CancellationToken.None, TaskCreationOptions.DenyChildAttach, scheduler).Unwrap();
        task.ContinueWith(static (_, state) => ((DedicatedThread)state!).Close(), scheduler, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, Default);
        return task;
    }

    public override int MaximumConcurrencyLevel => 1;

    protected override void QueueTask(Task task)
    {
        lock (_gate)
        {
            if (!_closed)
            {
                _queue.Enqueue(task);
                if (_waiting) Monitor.Pulse(_gate);
                return;
            }
        }
        // A continuation that arrives after the loop ended (nothing of the loop's own) runs on the pool.
        ThreadPool.UnsafeQueueUserWorkItem(static state => state.Scheduler.TryExecuteTask(state.Task), (Scheduler: this, Task: task), preferLocal: false);
    }

    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) =>
        Thread.CurrentThread == _thread && TryExecuteTask(task);

    protected override IEnumerable<Task> GetScheduledTasks()
    {
        lock (_gate) return _queue.ToArray();
    }

    private void Close()
    {
        lock (_gate)
        {
            _closed = true;
            Monitor.Pulse(_gate);
        }
    }

    /// <summary>Runs queued tasks in order; sleeps (without spinning) while there are none; ends once closed and empty.</summary>
    private void Drain()
    {
        while (true)
        {
            Task task;
            lock (_gate)
            {
                while (_queue.Count == 0)
                {
                    if (_closed) return;
                    _waiting = true;
                    Monitor.Wait(_gate);
                    _waiting = false;
                }
                task = _queue.Dequeue();
            }
            TryExecuteTask(task);
        }
    }
}
