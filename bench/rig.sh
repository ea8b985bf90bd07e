# shellcheck shell=bash
# The rig's own settings and probes, sourced by bench/run.sh and bench/lib.sh (so by every tuning
# script) so that they all run the rig alike.

# The rig's own processes (MockLlm, LoadGen) on CPU 0: no pool spinning, and the tiering delay of a
# multi-core machine (pinned to one core the runtime waits 10x longer before it tiers hot code up).
RIG_ENV="DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0 DOTNET_TC_DelaySingleProcMultiplier=1"
MOCK_ENV="$RIG_ENV DOTNET_TieredPGO=1"

# cpu_ticks PID: the CPU time PID has used, user + system, in clock ticks (TICK per second); 0 if it is gone.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
TICK=$(getconf CLK_TCK)
