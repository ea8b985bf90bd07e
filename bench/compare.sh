#!/usr/bin/env bash
# Interleaved A/B of two gateway variants (runtime settings or builds), for tuning:
#   bench/compare.sh [--rounds 5] [--secs 5] [--conns 64] [--sse] [--warm 60] [--y-no-limits] \
#     --x 'ENV=1 ...' [--x-bin DIR] --y 'ENV=2 ...' [--y-bin DIR] [--x-args '...'] [--y-args '...']
#   --y-no-limits gives Y the same snapshot without any rate limit or budget (keys, subscriptions,
#     teams), so that admission reserves nothing and counts no prompt: X against it is the cost of
#     limits and budgets.
#   bench/compare.sh --latency [--rounds 3] [--secs 8] --x ... --y ...
#     added latency instead of throughput: after the wrk warm-up of each (plain YARP's too) each round runs bench/LoadGen
#     at concurrency 1 against plain YARP (B, the reference), X and Y in turn and prints the medians
#     of p50 and p99 (F2's c=1 measurement, two variants).
# Both run src/Proxy (Release, from bench/.work/bin/Proxy unless --x-bin/--y-bin) on CPU 1 with
# the benchmark's snapshot; MockLlm and wrk on CPU 0. Rounds alternate X Y X Y …; prints each
# round's req/s and p99 and the medians, plus the RSS of each variant at start and at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd); WORK="$ROOT/bench/.work"; OUT="$WORK/compare"; mkdir -p "$OUT"
# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"
ROUNDS=5; SECS=5; CONNS=64; SSE=0; LATENCY=0; WARM=60; Y_NO_LIMITS=0
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) ROUNDS="$2"; shift ;; --secs) SECS="$2"; shift ;; --conns) CONNS="$2"; shift ;;
    --sse) SSE=1 ;;
    --latency) LATENCY=1 ;;
    --warm) WARM="$2"; shift ;;
    --y-no-limits) Y_NO_LIMITS=1; shift; continue ;;
    *) variant_option "$1" "${2:-}"; shift ;;
  esac
  shift
done
MOCK_PORT=19289; X_PORT=19282; Y_PORT=19283
start_mock_and_snapshot $MOCK_PORT
if [ "$Y_NO_LIMITS" = 1 ]; then
  python3 - "$OUT/snapshot.json" "$OUT/snapshot-no-limits.json" <<'PY'
import json, sys
snapshot = json.load(open(sys.argv[1]))
for group in ("keys", "subscriptions", "teams"):
    for item in snapshot[group]:
        item.pop("limits", None)
        item.pop("budget", None)
json.dump(snapshot, open(sys.argv[2], "w"))
PY
  YARGS="$YARGS --Proxy:Snapshot:File=$OUT/snapshot-no-limits.json"   # after start_proxy's own: the later one wins
fi
start_proxy x $X_PORT "$XBIN" "$XENV" "$XARGS"; XP=$PROXY_PID
start_proxy y $Y_PORT "$YBIN" "$YENV" "$YARGS"; YP=$PROXY_PID
for p in $X_PORT $Y_PORT; do wait_http "http://127.0.0.1:$p/health" || true; done
BODY=bench/bodies/chat-1k.json; KNOBS="x-mock-output-tokens: 120"
[ "$SSE" = 1 ] && { BODY=bench/bodies/chat-stream.json; KNOBS="x-mock-chunks: 64|x-mock-chunk-delay-ms: 20|x-mock-output-tokens: 128"; }
for p in $X_PORT $Y_PORT; do curl -fsS -o /dev/null -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' --data-binary @bench/bodies/chat-1k.json "http://127.0.0.1:$p/v1/chat/completions"; done
sleep 2
rss() { awk '/VmRSS/{print $2}' "/proc/$1/status"; }
echo "start RSS KiB: X $(rss "$XP")  Y $(rss "$YP")"
run_wrk() { wrk_post "$1" "$BODY" "Authorization: Bearer $KEY|$KNOBS" "$CONNS" "$2" --latency; }
if [ "$LATENCY" = 1 ]; then
  B_PORT=19281
  start_plain_yarp b $B_PORT
  wait_http "http://127.0.0.1:$B_PORT/health" || true
  hdr_of() { [ "$1" = "$B_PORT" ] && echo "Authorization: Bearer mock-client-key" || echo "Authorization: Bearer $KEY"; }
  for p in $B_PORT $X_PORT $Y_PORT; do
    wrk_post "$p" "$BODY" "$(hdr_of $p)|$KNOBS" 32 "$WARM" >/dev/null
  done
  rm -f "$OUT/latency.jsonl"
  for r in $(seq 1 "$ROUNDS"); do
    for v in b x y; do
      port=$(case $v in b) echo $B_PORT;; x) echo $X_PORT;; y) echo $Y_PORT;; esac)
      reset_tally "http://127.0.0.1:$MOCK_PORT"
      taskset -c 0 env $RIG_ENV dotnet "$WORK/bin/LoadGen/LoadGen.dll" json --url "http://127.0.0.1:$port/v1/chat/completions" \
        --body-file "$ROOT/$BODY" --header "$(hdr_of $port)" --header "$KNOBS" --concurrency 1 --warmup 2 --duration "$SECS" \
        --out "$OUT/latency.jsonl" --tag arm=$v --tag round=$r >/dev/null
    done
  done
  for v in b x y; do
    mapfile -t p50s < <(grep "\"arm\":\"$v\"" "$OUT/latency.jsonl" | sed -n 's/.*"p50_ms":\([0-9.]*\).*/\1/p')
    mapfile -t p99s < <(grep "\"arm\":\"$v\"" "$OUT/latency.jsonl" | sed -n 's/.*"p99_ms":\([0-9.]*\).*/\1/p')
    echo "c=1 median of $ROUNDS rounds, $v$([ $v = b ] && echo ' (plain YARP)'): p50 $(med "${p50s[@]}") ms, p99 $(med "${p99s[@]}") ms"
  done
  exit 0
fi
reset_tally "http://127.0.0.1:$MOCK_PORT"
run_wrk $X_PORT "$WARM" >/dev/null; run_wrk $Y_PORT "$WARM" >/dev/null   # warm-up: until the JIT has tiered the hot code up (bench/README.md)
XR=(); YR=(); XC=(); YC=()
for r in $(seq 1 "$ROUNDS"); do
  for v in x y; do
    port=$([ $v = x ] && echo $X_PORT || echo $Y_PORT)
    pid=$([ $v = x ] && echo "$XP" || echo "$YP")
    reset_tally "http://127.0.0.1:$MOCK_PORT"
    t0=$(cpu_ticks "$pid")
    out=$(run_wrk "$port" "$SECS")
    t1=$(cpu_ticks "$pid")
    rps=$(echo "$out" | awk '/Requests\/sec/{print $2}'); p99=$(echo "$out" | awk '$1=="99%"{print $2}')
    n=$(echo "$out" | awk '/requests in/{print $1}')
    us=$(awk -v t=$((t1 - t0)) -v k="$TICK" -v n="$n" 'BEGIN{printf "%.0f", t * 1e6 / k / n}')
    echo "round $r $v: $rps req/s p99 $p99, $us µs CPU per request"
    [ $v = x ] && { XR+=("$rps"); XC+=("$us"); } || { YR+=("$rps"); YC+=("$us"); }
  done
done
mx=$(med "${XR[@]}"); my=$(med "${YR[@]}")
echo "median req/s: X $mx  Y $my  Y/X $(awk -v a="$mx" -v b="$my" 'BEGIN{printf "%.3f", b/a}')"
RR=(); RC=()
for i in "${!XR[@]}"; do
  RR+=("$(awk -v a="${XR[i]}" -v b="${YR[i]}" 'BEGIN{printf "%.4f", b/a}')"); RC+=("$(awk -v a="${XC[i]}" -v b="${YC[i]}" 'BEGIN{printf "%.4f", b/a}')")
done
echo "median of per-round ratios (adjacent runs share the machine's load): req/s Y/X $(med "${RR[@]}"), CPU per request Y/X $(med "${RC[@]}")"
cx=$(med "${XC[@]}"); cy=$(med "${YC[@]}")
echo "median CPU per request: X $cx µs  Y $cy µs  Y/X $(awk -v a="$cx" -v b="$cy" 'BEGIN{printf "%.3f", b/a}')"
echo "end RSS KiB: X $(rss "$XP")  Y $(rss "$YP")"
