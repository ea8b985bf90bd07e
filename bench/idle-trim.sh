#!/usr/bin/env bash
# The idle memory trim (Proxy:IdleTrim), measured: arm C (src/Proxy, Release, the runtime settings
# it ships with, the benchmark's 10,001-key snapshot) with the trim on and then off, each through
# the same load — wrk 64 connections for 25 s, then 1,000 concurrent SSE streams for 15 s — and
# its RSS at start, 5 s after the load, and 45 s after the load.
#   bench/idle-trim.sh        (needs the binaries of a previous bench/run.sh in bench/.work/bin)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd); WORK="$ROOT/bench/.work"; OUT="$WORK/idle-trim"; rm -rf "$OUT"; mkdir -p "$OUT"
# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"
C_ENV=$(dockerfile_env)
MOCK_PORT=19589; C_PORT=19582
start_mock_and_snapshot $MOCK_PORT
rss() { awk '/VmRSS/{printf "%.1f", $2/1024}' "/proc/$1/status"; }
echo "| idle trim | RSS at start MiB | 5 s after the load MiB | 45 s after the load MiB | trims logged |"
echo "|---|---:|---:|---:|---:|"
for variant in on off; do
  enabled=$([ $variant = on ] && echo true || echo false)
  start_proxy "$variant" $C_PORT "$WORK/bin/Proxy" "$C_ENV Logging__LogLevel__Gateway.Proxy.Hosting.IdleMemoryTrimmer=Information" \
    "--Proxy:IdleTrim:Enabled=$enabled"; pid=$PROXY_PID
  wait_http "http://127.0.0.1:$C_PORT/health" || true
  curl -fsS -o /dev/null -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' --data-binary @bench/bodies/chat-1k.json "http://127.0.0.1:$C_PORT/v1/chat/completions"
  sleep 3; start=$(rss "$pid")
  wrk_post $C_PORT bench/bodies/chat-1k.json "Authorization: Bearer $KEY|x-mock-output-tokens: 120" 64 25 >/dev/null
  taskset -c 0 dotnet "$WORK/bin/LoadGen/LoadGen.dll" sse --url "http://127.0.0.1:$C_PORT/v1/chat/completions" --body-file bench/bodies/chat-stream.json \
    --header "Authorization: Bearer $KEY" --header "x-mock-chunks: 64" --header "x-mock-chunk-delay-ms: 20" --header "x-mock-output-tokens: 128" \
    --concurrency 1000 --expect-chunks 66 --warmup 2 --duration 15 --out "$OUT/sse-$variant.jsonl" >/dev/null
  sleep 5; after5=$(rss "$pid")
  sleep 40; after45=$(rss "$pid")
  trims=$(grep -c "gave the GC's free memory back" "$OUT/$variant.log" || true)
  echo "| $variant | $start | $after5 | $after45 | $trims |"
  kill "$pid"; wait "$pid" 2>/dev/null || true
done
