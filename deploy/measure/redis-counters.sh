#!/usr/bin/env bash
# Measures what shared Redis counters cost a proxy, for docs/operations.md (sizing):
# the same Release proxy twice — arm L with in-process counters, arm R with Redis counters on a
# local redis-server — both in front of MockLlm, with the benchmark's snapshot (every limit and
# budget on, none reached). Interleaved rounds (L R, L R, ...), wrk with 64 connections for
# throughput and 1 connection for latency. The proxies run on CPU 1; MockLlm, redis-server and
# wrk share CPU 0. Everything started here is stopped by its own PID.
#   deploy/measure/redis-counters.sh [--rounds 3] [--secs 15]
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
WORK="$ROOT/bench/.work/counters"
ROUNDS=3; SECS=15
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) ROUNDS="$2"; shift ;;
    --secs) SECS="$2"; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
log() { printf '[measure %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
mkdir -p "$WORK"
PIDS=()
cleanup() { for pid in "${PIDS[@]:-}"; do [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT
wait_http() { for _ in $(seq 1 120); do curl -fsS -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.5; done; log "no answer from $1"; return 1; }

MOCK_PORT=19189; L_PORT=19182; R_PORT=19183; REDIS_PORT=19179
PIN_LOAD="taskset -c 0"; PIN_SUT="taskset -c 1"
log "building Release"
for p in src/MockLlm src/Proxy bench/LoadGen; do
  dotnet publish "$p" -c Release -o "$WORK/bin/$(basename "$p")" -p:UseAppHost=false --nologo -v quiet >/dev/null
done

$PIN_LOAD /usr/bin/redis-server --port $REDIS_PORT --bind 127.0.0.1 --save "" --appendonly no --loglevel warning >"$WORK/redis.log" 2>&1 &
PIDS+=("$!")
env DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0 Logging__LogLevel__Default=Warning $PIN_LOAD \
  dotnet "$WORK/bin/MockLlm/MockLlm.dll" --urls "http://127.0.0.1:$MOCK_PORT" >"$WORK/mockllm.log" 2>&1 &
PIDS+=("$!")
wait_http "http://127.0.0.1:$MOCK_PORT/health"
dotnet "$WORK/bin/LoadGen/LoadGen.dll" snapshot --mock "http://127.0.0.1:$MOCK_PORT" --keys 100 --out "$WORK/snapshot.json" --key-out "$WORK/key.txt"
KEY=$(cat "$WORK/key.txt")

start_proxy() { # port, extra args...
  local port=$1; shift
  rm -rf "$WORK/data-$port"
  MOCKLLM_API_KEY=bench-upstream-key Logging__LogLevel__Default=Warning $PIN_SUT dotnet "$WORK/bin/Proxy/Proxy.dll" \
    --urls "http://127.0.0.1:$port" --Proxy:Snapshot:File="$WORK/snapshot.json" --Proxy:DataDirectory="$WORK/data-$port" "$@" \
    >"$WORK/proxy-$port.log" 2>&1 &
  PIDS+=("$!")
  PROXY_PIDS+=("$port:$!")
}
PROXY_PIDS=()
start_proxy $L_PORT
start_proxy $R_PORT --Proxy:Counters:Store=Redis --Proxy:Counters:Redis:Configuration="127.0.0.1:$REDIS_PORT"
wait_http "http://127.0.0.1:$L_PORT/health"; wait_http "http://127.0.0.1:$R_PORT/health"
grep -q "1205" "$WORK/proxy-$R_PORT.log" 2>/dev/null || true

run() { # arm port connections secs
  WRK_BODY="$ROOT/bench/bodies/chat-1k.json" WRK_HEADERS="Authorization: Bearer $KEY|x-mock-output-tokens: 120" \
    $PIN_LOAD wrk -t"$([ "$3" = 1 ] && echo 1 || echo 2)" -c"$3" -d"${4}s" --latency -s "$ROOT/bench/wrk/post.lua" \
    "http://127.0.0.1:$2/v1/chat/completions" 2>&1
}
summary() { # wrk output -> "req/s p50 p99 non2xx"
  awk '/Requests\/sec/{rps=$2} /^ +50%/{p50=$2} /^ +99%/{p99=$2} /Non-2xx/{bad=$NF} END{printf "%s req/s, p50 %s, p99 %s, non-2xx %s\n", rps, p50, p99, (bad==""?0:bad)}'
}
log "warm-up"
run L $L_PORT 64 5 >/dev/null; run R $R_PORT 64 5 >/dev/null
echo "# Redis counters vs in-process counters ($(date -u +%FT%TZ))"
echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1); redis $(/usr/bin/redis-server --version | awk '{print $3}')"
for round in $(seq 1 "$ROUNDS"); do
  for arm in L R; do
    port=$([ $arm = L ] && echo $L_PORT || echo $R_PORT)
    echo "round $round arm $arm c=64: $(run $arm $port 64 "$SECS" | summary)"
  done
  for arm in L R; do
    port=$([ $arm = L ] && echo $L_PORT || echo $R_PORT)
    echo "round $round arm $arm c=1:  $(run $arm $port 1 "$SECS" | summary)"
  done
done
for entry in "${PROXY_PIDS[@]}"; do # memory of each proxy after the load (resident now, peak)
  pid=${entry#*:}; arm=$([ "${entry%%:*}" = $L_PORT ] && echo L || echo R)
  echo "arm $arm memory: $(awk '/^VmRSS|^VmHWM/{printf "%s %d MiB  ", $1, $2/1024}' /proc/$pid/status)"
done
echo "redis memory: $(redis-cli -p $REDIS_PORT info memory | grep -E '^used_memory_human|^used_memory_peak_human' | tr -d '\r' | tr '\n' ' ')"
echo "redis: $(redis-cli -p $REDIS_PORT info stats | grep -E 'total_commands_processed|instantaneous_ops' | tr -d '\r' | tr '\n' ' ')"
echo "redis: $(redis-cli -p $REDIS_PORT info commandstats | grep -E 'evalsha|cmdstat_eval:' | tr -d '\r' | tr '\n' ' ')"
