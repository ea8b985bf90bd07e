# Shared by the tuning scripts (compare.sh, profile.sh, c1-wire.sh, idle-trim.sh, start-memory.sh), sourced
# after they set ROOT, WORK and OUT: what they start is stopped by PID when they exit.
# shellcheck shell=bash
PIDS=()
bench_cleanup() { for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done; }
trap bench_cleanup EXIT

# Waits until URL answers (up to TRIES half-seconds, default 60).
wait_http() { for _ in $(seq 1 "${2:-60}"); do curl -fsS -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.5; done; return 1; }

# The median of its arguments.
med() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# How to start the proxy built in DIR: its executable where the publish made one (the images' builds:
# trimmed self-contained or Native AOT), else dotnet Proxy.dll (a framework-dependent build).
proxy_cmd() { if [ -x "$1/Proxy" ]; then echo "$1/Proxy"; else echo "dotnet $1/Proxy.dll"; fi; }

# dockerfile_env [FILE]: the DOTNET_* settings an image ships (shared with bench/run.sh).
# shellcheck source=bench/dockerfile.sh
. "$ROOT/bench/dockerfile.sh"
# RIG_ENV, MOCK_ENV (the rig's runtime settings, as bench/run.sh runs them) and cpu_ticks.
# shellcheck source=bench/rig.sh
. "$ROOT/bench/rig.sh"

# The two variants of compare.sh and start-memory.sh: their environment (--x, --y), build folder
# (--x-bin, --y-bin) and proxy arguments (--x-args, --y-args). variant_option OPTION VALUE reads
# one of those and exits on any other option.
XENV=""; YENV=""; XBIN="$WORK/bin/Proxy"; YBIN="$WORK/bin/Proxy"; XARGS=""; YARGS=""
variant_option() {
  case "$1" in
    --x) XENV="$2" ;; --y) YENV="$2" ;;
    --x-bin) XBIN="$2" ;; --y-bin) YBIN="$2" ;;
    --x-args) XARGS="$2" ;; --y-args) YARGS="$2" ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
}

# start_proxy NAME PORT BIN ENV ARGS: the proxy built in BIN on CPU 1 and PORT with environment ENV
# and arguments ARGS, the benchmark's snapshot, a fresh data directory $OUT/data-NAME and its log in
# $OUT/NAME.log; its PID in PROXY_PID (and PIDS, so it is stopped on exit).
start_proxy() {
  rm -rf "$OUT/data-$1"
  # shellcheck disable=SC2086 # the environment and arguments are word lists
  env $4 MOCKLLM_API_KEY=bench-upstream-key Logging__LogLevel__Default=Warning taskset -c 1 $(proxy_cmd "$3") \
    --urls "http://127.0.0.1:$2" --Proxy:Snapshot:File="$OUT/snapshot.json" --Proxy:DataDirectory="$OUT/data-$1" $5 >"$OUT/$1.log" 2>&1 &
  PROXY_PID=$!; PIDS+=("$PROXY_PID")
}

# start_plain_yarp NAME PORT [ENV]: arm B (bench/PlainYarp, reading its configuration once) on CPU 1
# and PORT, forwarding to MockLlm at $MOCK_PORT, with extra environment ENV and its log in
# $OUT/NAME.log; its PID in PLAIN_PID (and PIDS, so it is stopped on exit).
start_plain_yarp() {
  # shellcheck disable=SC2086 # the environment is a word list
  env $READ_CONFIG_ONCE ${3:-} Logging__LogLevel__Default=Warning taskset -c 1 dotnet "$WORK/bin/PlainYarp/PlainYarp.dll" \
    --urls "http://127.0.0.1:$2" --Destination "http://127.0.0.1:$MOCK_PORT" >"$OUT/$1.log" 2>&1 &
  PLAIN_PID=$!; PIDS+=("$PLAIN_PID")
}

# wrk_post PORT BODY HEADERS CONNS SECS [WRK OPTION...]: wrk on CPU 0, two threads, CONNS connections
# for SECS seconds, POSTing the file BODY (relative to the repository) to 127.0.0.1:PORT's chat
# completions with HEADERS ("|"-separated, bench/wrk/post.lua).
wrk_post() {
  WRK_BODY="$ROOT/$2" WRK_HEADERS="$3" taskset -c 0 wrk -t2 -c"$4" -d"$5s" "${@:6}" -s "$ROOT/bench/wrk/post.lua" "http://127.0.0.1:$1/v1/chat/completions"
}

# MockLlm on CPU 0 at port $1, as bench/run.sh runs it, then the benchmark's 10,001-key snapshot
# pointing at it: $OUT/snapshot.json, and its key in KEY.
start_mock_and_snapshot() {
  # shellcheck disable=SC2086 # a word list
  env $MOCK_ENV Logging__LogLevel__Default=Warning taskset -c 0 \
    dotnet "$WORK/bin/MockLlm/MockLlm.dll" --urls "http://127.0.0.1:$1" >"$OUT/mockllm.log" 2>&1 &
  PIDS+=($!)
  wait_http "http://127.0.0.1:$1/health"
  dotnet "$WORK/bin/LoadGen/LoadGen.dll" snapshot --mock "http://127.0.0.1:$1" --keys 10000 --out "$OUT/snapshot.json" --key-out "$OUT/key.txt" >/dev/null 2>&1
  KEY=$(cat "$OUT/key.txt")
}
