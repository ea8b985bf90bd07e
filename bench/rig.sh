# shellcheck shell=bash
# The rig's own settings and probes, sourced by bench/run.sh and bench/lib.sh (so by every tuning
# script) so that they all run the rig alike.

# The rig's own processes (MockLlm, LoadGen) on CPU 0: no pool spinning, and the tiering delay of a
# multi-core machine (pinned to one core the runtime waits 10x longer before it tiers hot code up).
RIG_ENV="DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0 DOTNET_TC_DelaySingleProcMultiplier=1"
# MockLlm and plain YARP read their configuration once, as the gateway does (ProxyApp): a host's
# default reload watches the working directory (the repository) recursively, and every write of the
# proxy's spool and ledger, and of LoadGen's results, under bench/.work then woke their watcher
# threads and cost the writer an inotify event each (bench/README.md).
READ_CONFIG_ONCE="DOTNET_hostBuilder__reloadConfigOnChange=false"
MOCK_ENV="$RIG_ENV DOTNET_TieredPGO=1 $READ_CONFIG_ONCE"

# cpu_ticks PID: the CPU time PID has used, user + system, in clock ticks (TICK per second); 0 if it is gone.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
TICK=$(getconf CLK_TCK)

# reset_tally MOCK_URL: empties MockLlm's per-request tally (DELETE /_mock/tally). MockLlm keeps an
# entry for every request id until it is reset; across a full run that is millions of entries, and
# MockLlm stalled every arm's requests for 0.3-1 s now and then (most likely its table's doublings,
# a rehash under every lock, and its heap's full collections; not traced further): 10 s wrk windows
# through plain YARP and the gateway had p99 223-414 ms (max up to 525 ms) in 1 window in 5-7, and
# none with the tally reset before each window (2026-11-27). Called before every warm-up and
# measured window; F6 resets it itself.
reset_tally() { curl -fsS -o /dev/null -X DELETE "$1/_mock/tally" 2>/dev/null || echo "warning: could not reset MockLlm's tally at $1" >&2; }
