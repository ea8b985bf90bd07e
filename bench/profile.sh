#!/usr/bin/env bash
# Profiles arm C (src/Proxy, Release) under wrk load, the way bench/run.sh runs it:
#   bench/profile.sh [--secs 15] [--conns 64] [--warm 40] [--trace perf|cpu|gc|none] [--sse] [--env 'K=V K2=V2']
# Arm C runs with the DOTNET_* settings of src/Proxy/Dockerfile, then --env. The warm-up (40 s of
# wrk by default) lets the JIT tier the hot code up first, so the profile shows the steady state.
# Needs the binaries of a previous bench/run.sh (bench/.work/bin) and, for traces, the global
# tools dotnet-trace and dotnet-counters. Writes bench/.work/profile/{trace.nettrace,counters.csv,wrk.txt}
# and prints wrk's summary, the top CPU frames and the allocation rate per request.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:$HOME/.dotnet/tools"
ROOT=$(pwd); WORK="$ROOT/bench/.work"; OUT="$WORK/profile"; mkdir -p "$OUT"
SECS=15; CONNS=64; TRACE=cpu; SSE=0; EXTRA_ENV=""; ARM=C; WARM=40
while [ $# -gt 0 ]; do
  case "$1" in
    --secs) SECS="$2"; shift ;;
    --conns) CONNS="$2"; shift ;;
    --trace) TRACE="$2"; shift ;;
    --sse) SSE=1 ;;
    --env) EXTRA_ENV="$2"; shift ;;
    --arm) ARM="$2"; shift ;;
    --warm) WARM="$2"; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"
MOCK_PORT=19189; C_PORT=19182
start_mock_and_snapshot $MOCK_PORT
if [ "$ARM" = B ]; then
  start_plain_yarp target $C_PORT "$EXTRA_ENV"; TPID=$PLAIN_PID
else
  start_proxy target $C_PORT "$WORK/bin/Proxy" "$(dockerfile_env) DOTNET_PerfMapEnabled=$([ "$TRACE" = perf ] && echo 1 || echo 0) $EXTRA_ENV" ""; TPID=$PROXY_PID
fi
wait_http "http://127.0.0.1:$C_PORT/health" || true
echo "start RSS: $(awk '/VmRSS/{print $2}' /proc/$TPID/status) KiB"
BODY=bench/bodies/chat-1k.json; KNOBS="x-mock-output-tokens: 120"
[ "$SSE" = 1 ] && { BODY=bench/bodies/chat-stream.json; KNOBS="x-mock-chunks: 64|x-mock-chunk-delay-ms: 20|x-mock-output-tokens: 128"; }
AUTH="Bearer $KEY"; [ "$ARM" = B ] && AUTH="Bearer mock-client-key"
run_wrk() { wrk_post "$C_PORT" "$BODY" "Authorization: $AUTH|$KNOBS" "$CONNS" "$1" --latency; }
reset_tally "http://127.0.0.1:$MOCK_PORT"
run_wrk "$WARM" >/dev/null   # warm-up (tiering, pools: the JIT takes 15-40 s under load to tier the hot code up)
case "$TRACE" in
  cpu) dotnet-trace collect -p "$TPID" --profile dotnet-sampled-thread-time --duration "00:00:00:$SECS" -o "$OUT/trace.nettrace" >"$OUT/trace.log" 2>&1 & TR=$! ;;
  perf) perf record -e cpu-clock -F 499 -g -p "$TPID" -o "$OUT/perf.data" -- sleep "$SECS" >"$OUT/trace.log" 2>&1 & TR=$! ;;
  gc) dotnet-trace collect -p "$TPID" --profile gc-verbose --duration "00:00:00:$SECS" -o "$OUT/trace.nettrace" >"$OUT/trace.log" 2>&1 & TR=$! ;;
  *) TR="" ;;
esac
dotnet-counters collect -p "$TPID" --counters System.Runtime --refresh-interval 1 --format csv -o "$OUT/counters.csv" --duration "00:00:00:$SECS" >/dev/null 2>&1 &
CN=$!
reset_tally "http://127.0.0.1:$MOCK_PORT"
sleep 1
run_wrk "$((SECS - 2))" | tee "$OUT/wrk.txt" | grep -E 'Requests/sec|Latency|  50%|  99%'
wait $CN 2>/dev/null || true
[ -n "$TR" ] && { wait "$TR" 2>/dev/null || true; }
echo "loaded RSS: $(awk '/VmRSS/{print $2}' /proc/$TPID/status) KiB"
rps=$(awk '/Requests\/sec/{print $2}' "$OUT/wrk.txt")
alloc=$(grep -i 'gc.heap.total_allocated\|allocation' "$OUT/counters.csv" 2>/dev/null | awk -F, '{s+=$NF; n++} END {if (n) print s/n; else print 0}' || echo 0)
echo "allocation rate ~ $alloc B/s (counters), $rps req/s => $(awk -v a="$alloc" -v r="$rps" 'BEGIN{ if (r>0) printf "%.0f", a/r; else print "?"}') B/request"
if [ "$TRACE" = perf ]; then
  perf report -i "$OUT/perf.data" --no-children --sort dso,symbol --stdio 2>/dev/null | grep -v '^#' | grep '%' | head -60
  perf report -i "$OUT/perf.data" --no-children --sort dso --stdio 2>/dev/null | grep -v '^#' | grep '%' | head -15
elif [ "$TRACE" = gc ] && [ -f "$OUT/trace.nettrace" ]; then
  # Which types the allocations went to (bench/AllocTop), per request over the traced seconds.
  dotnet build bench/AllocTop -c Release -o "$WORK/bin/AllocTop" --nologo -v quiet >/dev/null
  dotnet "$WORK/bin/AllocTop/AllocTop.dll" "$OUT/trace.nettrace" 40 "$(awk -v r="$rps" -v s="$SECS" 'BEGIN{printf "%.0f", r * s}')" || true
elif [ "$TRACE" != none ] && [ -f "$OUT/trace.nettrace" ]; then
  dotnet-trace report "$OUT/trace.nettrace" topN -n 60 2>/dev/null | head -80 || true
fi
