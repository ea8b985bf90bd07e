#!/usr/bin/env bash
# The benchmark harness (BENCHMARKS.md). One command:
#   bench/run.sh            full run: 3 interleaved rounds, writes bench/results/<date>.md and docs/benchmarks.md
#   bench/run.sh --quick    1 short round (< 5 min), writes bench/results/<date>-quick.md only
# Options: --rounds N, --figures F1,F2,F3,F4,F6, --no-peer (skip arm D), --aot / --no-aot (arm N:
#          on by default in a full run, off in a quick one, whose 5 minutes a native build does not fit),
#          --report-only (rewrite the report, charts and docs from the day's existing .jsonl).
# Arms: A direct to MockLlm, B plain YARP (bench/PlainYarp), C our Proxy with every policy on,
# D the Portkey gateway from npm, N the same proxy as C built with Native AOT (src/Proxy/Dockerfile.aot). Release builds; the process under test on CPU 1, MockLlm and the
# load generators on CPU 0. Everything started here is stopped by its own PID on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
WORK="$ROOT/bench/.work"
PEERS="$ROOT/bench/.peers"
QUICK=0; ROUNDS=3; FIGURES="F1,F2,F3,F4,F6"; PEER=1; AOT=""; REPORT_ONLY=0; RUN_ARGS="$*"
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1; ROUNDS=1 ;;
    --rounds) ROUNDS="$2"; shift ;;
    --figures) FIGURES="$2"; shift ;;
    --no-peer) PEER=0 ;;
    --aot) AOT=1 ;;
    --no-aot) AOT=0 ;;
    --report-only) REPORT_ONLY=1 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
has() { [[ ",$FIGURES," == *",$1,"* ]]; }
[ -n "$AOT" ] || AOT=$([ "$QUICK" = 1 ] && echo 0 || echo 1)
log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

if [ "$QUICK" = 1 ]; then
  # Under 5 minutes on a fresh clone, whose Release build alone takes 80-100 s here.
  WARM=2; F1_SECS=5; F2_SECS=3; F3_SECS=5; F3_STREAMS=200; F4_WS=2000; F6_REQUESTS=600; FIRST_WARM=${BENCH_FIRST_WARM:-6}
else
  # Full sizes of BENCHMARKS.md; F2 and F3 windows kept to 15 s / 20 s so that 3 rounds of 4 arms fit in ~30 min.
  # Every arm warms 60 s, until the JIT has tiered its hot code up (bench/README.md): arm B runs YARP
  # on the runtime's defaults, and pinned to one core the JIT waits 10x longer before it tiers up (B's
  # CPU per request fell from ~210 to ~90 us only after 45-50 s of load); arm C, on the settings it
  # ships with, was at ~160 us after 15 s and at its steady ~115-135 us after ~55 s.
  WARM=5; F1_SECS=30; F2_SECS=15; F3_SECS=20; F3_STREAMS=1000; F4_WS=10000; F6_REQUESTS=10000; FIRST_WARM=60
fi
DATE=$(date -u +%Y-%m-%d)
SUFFIX=$([ "$QUICK" = 1 ] && echo "-quick" || echo "")
RESULTS="$ROOT/bench/results"
RAW="$RESULTS/$DATE$SUFFIX.jsonl"
mkdir -p "$WORK" "$RESULTS"
[ "$REPORT_ONLY" = 1 ] || : > "$RAW"

CPU_LOAD=0; CPU_SUT=1
# shellcheck source=bench/rig.sh
. "$ROOT/bench/rig.sh"   # RIG_ENV and MOCK_ENV for MockLlm and the load generator, cpu_ticks
if [ "$(nproc)" -lt 2 ]; then CPU_SUT=0; fi
PIN_LOAD="taskset -c $CPU_LOAD"; PIN_SUT="taskset -c $CPU_SUT"
command -v taskset >/dev/null || { PIN_LOAD=""; PIN_SUT=""; }
ulimit -n 200000 2>/dev/null || ulimit -n 65535 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
# A relaying arm holds two sockets per WebSocket (client and upstream): cap F4 at what the open-file
# limit allows (this container's hard limit is 20,000, so 10,000 sessions cannot fit; say so).
FD_LIMIT=$(ulimit -n)
if [ "$FD_LIMIT" != unlimited ] && [ $(( (FD_LIMIT - 1500) / 2 )) -lt "$F4_WS" ]; then
  log "open-file limit $FD_LIMIT: F4 holds $(( (FD_LIMIT - 1500) / 2 / 500 * 500 )) WebSockets instead of $F4_WS"
  F4_NOTE="F4: $(( (FD_LIMIT - 1500) / 2 / 500 * 500 )) idle WebSockets instead of $F4_WS: the open-file hard limit here is $FD_LIMIT per process and a relaying arm holds two sockets per session"
  F4_WS=$(( (FD_LIMIT - 1500) / 2 / 500 * 500 ))
fi

MOCK_PORT=19089; B_PORT=19081; C_PORT=19082; D_PORT=19083; N_PORT=19084
MACHINE="$(nproc) cores, $(lscpu 2>/dev/null | sed -n 's/^Model name:[[:space:]]*//p' | head -1), $(free -g | awk '/Mem:/{print $2}') GiB RAM, $(uname -sr), .NET SDK $(dotnet --version)"

# ---------- processes we start, stopped by PID ----------
PIDS=()
cleanup() {
  for pid in "${PIDS[@]:-}"; do [ -n "$pid" ] && kill -CONT "$pid" 2>/dev/null || true; done   # a paused arm (solo) ends only once resumed
  for pid in "${PIDS[@]:-}"; do [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; done
  sleep 1
  for pid in "${PIDS[@]:-}"; do [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

wait_http() { # url, name
  for _ in $(seq 1 120); do curl -fsS -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.5; done
  log "$2 did not answer $1"; return 1
}

# Arm C runs with the runtime settings the proxy ships with: its runtimeconfig (Proxy.csproj) and
# the DOTNET_* variables of its Dockerfile (settings only the environment can set); arm N likewise
# with those of the native image's Dockerfile. Both arms are published with the arguments of their
# Dockerfile's own publish line, exactly as their images publish the proxy.
# shellcheck source=bench/dockerfile.sh
. "$ROOT/bench/dockerfile.sh"
C_ENV=$(dockerfile_env src/Proxy/Dockerfile)
N_ENV=$(dockerfile_env src/Proxy/Dockerfile.aot)
C_PUBLISH=$(dockerfile_publish src/Proxy/Dockerfile)
N_PUBLISH=$(dockerfile_publish src/Proxy/Dockerfile.aot)

LOADGEN="dotnet $WORK/bin/LoadGen/LoadGen.dll"
if [ "$REPORT_ONLY" = 0 ]; then
# ---------- arm D's package, fetched while the build runs (it waits on the network, the build on the CPU) ----------
PEER_INSTALL=""
if [ "$PEER" = 1 ] && [ ! -f "$PEERS/node_modules/@portkey-ai/gateway/build/start-server.js" ]; then
  log "installing @portkey-ai/gateway@1.15.2 into bench/.peers (beside the build)"
  mkdir -p "$PEERS"
  (cd "$PEERS" && npm install --no-audit --no-fund --loglevel=error @portkey-ai/gateway@1.15.2 >/dev/null) &
  PEER_INSTALL=$!
fi
# ---------- build ----------
# Skipped when nothing that goes into the binaries changed since the last build (a stamp of the
# last commit touching them and of their uncommitted changes).
BUILD_INPUTS=(src/MockLlm src/Proxy src/Contracts src/ServiceDefaults bench/PlainYarp bench/LoadGen bench/Shared Directory.Build.props Directory.Packages.props global.json)
STAMP=$( { git log -1 --format=%H -- "${BUILD_INPUTS[@]}" 2>/dev/null; git status --porcelain -- "${BUILD_INPUTS[@]}" 2>/dev/null; git diff -- "${BUILD_INPUTS[@]}" 2>/dev/null; } | sha256sum | cut -c1-16)
if [ "$(cat "$WORK/bin/.stamp" 2>/dev/null)" = "$STAMP" ]; then
  log "Release binaries up to date (stamp $STAMP)"
else
  log "building Release"
  for p in src/MockLlm bench/PlainYarp bench/LoadGen; do
    name=$(basename "$p")
    dotnet publish "$p" -c Release -o "$WORK/bin/$name" -p:UseAppHost=false --nologo -v quiet >/dev/null
  done
  # Arm C as the default image builds it (src/Proxy/Dockerfile: self-contained, trimmed).
  rm -rf "$WORK/bin/Proxy"
  # shellcheck disable=SC2086 # the Dockerfile's arguments, split as the shell in the image splits them
  dotnet publish src/Proxy/Proxy.csproj $C_PUBLISH -o "$WORK/bin/Proxy" --nologo -v quiet >/dev/null
  echo "$STAMP" > "$WORK/bin/.stamp"
fi
if [ "$AOT" = 1 ] && [ "$(cat "$WORK/bin/.stamp-aot" 2>/dev/null)" != "$STAMP" ]; then
  # Native AOT links with clang, or with gcc where clang is missing (this machine).
  LINKER=$(command -v clang >/dev/null || echo "-p:CppCompilerAndLinker=gcc")
  log "building the Native AOT proxy (arm N, ~3 min)"
  # shellcheck disable=SC2086
  if dotnet publish src/Proxy/Proxy.csproj $N_PUBLISH $LINKER -o "$WORK/bin/Proxy-aot" --nologo -v quiet >"$WORK/aot-build.log" 2>&1; then
    echo "$STAMP" > "$WORK/bin/.stamp-aot"
  else
    log "Native AOT build failed (bench/.work/aot-build.log): arm N skipped"; AOT=0
  fi
fi

if [ -n "$PEER_INSTALL" ] && ! wait "$PEER_INSTALL"; then log "Portkey install failed: arm D skipped"; PEER=0; fi

# ---------- start the arms ----------
log "starting MockLlm on CPU $CPU_LOAD"
env $MOCK_ENV Logging__LogLevel__Default=Warning $PIN_LOAD dotnet "$WORK/bin/MockLlm/MockLlm.dll" --urls "http://127.0.0.1:$MOCK_PORT" >"$WORK/mockllm.log" 2>&1 &
MOCK_PID=$!; PIDS+=("$MOCK_PID")
wait_http "http://127.0.0.1:$MOCK_PORT/health" MockLlm

$LOADGEN snapshot --mock "http://127.0.0.1:$MOCK_PORT" --keys 10000 --out "$WORK/snapshot.json" --key-out "$WORK/bench-key.txt"
BENCH_KEY=$(cat "$WORK/bench-key.txt")

log "starting plain YARP (B) on CPU $CPU_SUT"
env $READ_CONFIG_ONCE Logging__LogLevel__Default=Warning $PIN_SUT dotnet "$WORK/bin/PlainYarp/PlainYarp.dll" --urls "http://127.0.0.1:$B_PORT" --Destination "http://127.0.0.1:$MOCK_PORT" >"$WORK/plainyarp.log" 2>&1 &
B_PID=$!; PIDS+=("$B_PID")

log "starting the gateway (C) on CPU $CPU_SUT"
rm -rf "$WORK/proxy-data"
log "arm C environment: $C_ENV"
env $C_ENV MOCKLLM_API_KEY=bench-upstream-key Logging__LogLevel__Default=Warning $PIN_SUT "$WORK/bin/Proxy/Proxy" \
  --urls "http://127.0.0.1:$C_PORT" --Proxy:Snapshot:File="$WORK/snapshot.json" --Proxy:DataDirectory="$WORK/proxy-data" \
  >"$WORK/proxy.log" 2>&1 &
C_PID=$!; PIDS+=("$C_PID")

if [ "$AOT" = 1 ]; then
  log "starting the Native AOT gateway (N) on CPU $CPU_SUT, environment: $N_ENV"
  rm -rf "$WORK/proxy-aot-data"
  env $N_ENV MOCKLLM_API_KEY=bench-upstream-key Logging__LogLevel__Default=Warning $PIN_SUT "$WORK/bin/Proxy-aot/Proxy" \
    --urls "http://127.0.0.1:$N_PORT" --Proxy:Snapshot:File="$WORK/snapshot.json" --Proxy:DataDirectory="$WORK/proxy-aot-data" \
    >"$WORK/proxy-aot.log" 2>&1 &
  N_PID=$!; PIDS+=("$N_PID")
fi

if [ "$PEER" = 1 ]; then
  log "starting Portkey (D) on CPU $CPU_SUT"
  $PIN_SUT node "$PEERS/node_modules/@portkey-ai/gateway/build/start-server.js" --port=$D_PORT >"$WORK/portkey.log" 2>&1 &
  D_PID=$!; PIDS+=("$D_PID")
fi
wait_http "http://127.0.0.1:$B_PORT/health" "plain YARP"
wait_http "http://127.0.0.1:$C_PORT/health" gateway
[ "$AOT" = 1 ] && wait_http "http://127.0.0.1:$N_PORT/health" "Native AOT gateway"
if [ "$PEER" = 1 ]; then
  for _ in $(seq 1 60); do curl -s -o /dev/null "http://127.0.0.1:$D_PORT/" && break; sleep 0.5; done
fi

ARMS="A B C"; [ "$AOT" = 1 ] && ARMS="$ARMS N"; [ "$PEER" = 1 ] && ARMS="$ARMS D"
# Only the arm being measured runs on CPU 1: the other arms there are paused (SIGSTOP) meanwhile and
# resumed (SIGCONT) after. Idle, they still do their own housekeeping on that core, which would land
# in the measured arm's figures (a gateway's idle memory trim is a blocking full collection: beside a
# loaded-then-idle neighbour, C's F3 streams had 85 gaps over 200 ms with the neighbour's trim on, 0 off).
solo() { # arm: every other arm on CPU 1 paused (A, MockLlm, is on CPU 0 and never paused)
  local a p
  for a in $ARMS; do
    if [ "$a" = A ] || [ "$a" = "$1" ]; then continue; fi
    p=$(pid_of "$a"); [ -n "$p" ] && kill -STOP "$p" 2>/dev/null || true
  done
  p=$(pid_of "$1"); [ "$1" != A ] && [ -n "$p" ] && kill -CONT "$p" 2>/dev/null || true
  reset_tally "http://127.0.0.1:$MOCK_PORT" # MockLlm's tally grows with every request (bench/rig.sh)
  # A resumed arm's overdue timers fire at once (an idle trim among them): let them run before the load.
  sleep 0.5
}
resume_all() { local a p; for a in $ARMS; do p=$(pid_of "$a"); [ -n "$p" ] && kill -CONT "$p" 2>/dev/null || true; done; }
rss_kib() { awk '/VmRSS/{print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
url_of() { case $1 in A) echo "http://127.0.0.1:$MOCK_PORT";; B) echo "http://127.0.0.1:$B_PORT";; C) echo "http://127.0.0.1:$C_PORT";; N) echo "http://127.0.0.1:$N_PORT";; D) echo "http://127.0.0.1:$D_PORT";; esac; }
pid_of() { case $1 in A) echo "$MOCK_PID";; B) echo "$B_PID";; C) echo "$C_PID";; N) echo "${N_PID:-}";; D) echo "${D_PID:-}";; esac; }
# Headers per arm, "|"-separated (wrk) and as --header options (LoadGen).
headers_of() {
  case $1 in
    A|B) echo "Authorization: Bearer mock-client-key" ;;
    C|N) echo "Authorization: Bearer $BENCH_KEY" ;;
    D) echo "Authorization: Bearer mock-client-key|x-portkey-provider: openai|x-portkey-custom-host: http://127.0.0.1:$MOCK_PORT/v1" ;;
  esac
}
hdr_opts() { local IFS='|'; for h in $(headers_of "$1")${2:+|$2}; do printf -- '--header\n%s\n' "$h"; done; }
KNOBS_JSON="x-mock-output-tokens: 120"
KNOBS_SSE="x-mock-chunks: 64|x-mock-chunk-delay-ms: 20|x-mock-output-tokens: 128"
# What MockLlm sends for those knobs: the role chunk, 64 content chunks, the finish chunk (then [DONE]).
F3_CHUNKS=66

run_wrk() { # arm round secs
  local arm=$1 round=$2 secs=$3 out="$WORK/wrk-$1-$2.txt" pid t0 t1
  pid=$(pid_of "$arm"); t0=$(cpu_ticks "$pid")
  WRK_BODY="$ROOT/bench/bodies/chat-1k.json" WRK_HEADERS="$(headers_of "$arm")|$KNOBS_JSON" \
    $PIN_LOAD wrk -t2 -c64 -d"${secs}s" --latency -s "$ROOT/bench/wrk/post.lua" "$(url_of "$arm")/v1/chat/completions" >"$out" 2>&1 || true
  t1=$(cpu_ticks "$pid")
  [ "$round" = warm ] && return 0
  $LOADGEN wrkparse --in "$out" --cpu-seconds "$(awk -v t=$((t1 - t0)) -v k="$TICK" 'BEGIN{printf "%.2f", t / k}')" \
    --out "$RAW" --tag figure=F1 --tag arm="$arm" --tag round="$round" >/dev/null
}

# F4's first reading: each arm idle right after start, having answered one request (arm C with
# its 10,000-key snapshot loaded and compiled).
declare -A START_RSS
for arm in $ARMS; do
  mapfile -t H < <(hdr_opts "$arm" "$KNOBS_JSON")
  args=(); for ((i = 0; i < ${#H[@]}; i += 2)); do args+=(-H "${H[i+1]}"); done
  curl -fsS -o /dev/null "${args[@]}" -H 'Content-Type: application/json' --data-binary @bench/bodies/chat-1k.json "$(url_of "$arm")/v1/chat/completions" || log "probe of arm $arm failed"
done
sleep 3
for arm in $ARMS; do START_RSS[$arm]=$(rss_kib "$(pid_of "$arm")"); done

# Arm D streams only if Portkey relays SSE here (1.15.2 on Node 20 fails every stream with
# "TypeError: immutable" in updateHeaders, Portkey-AI/gateway#1389/#1550): probe one stream.
SSE_ARMS="A B C"; [ "$AOT" = 1 ] && SSE_ARMS="$SSE_ARMS N"
if [ "$PEER" = 1 ]; then
  mapfile -t H < <(hdr_opts D "x-mock-chunks: 4|x-mock-chunk-delay-ms: 1|x-mock-output-tokens: 8")
  args=(); for ((i = 0; i < ${#H[@]}; i += 2)); do args+=(-H "${H[i+1]}"); done
  if curl -fsS -N "${args[@]}" -H 'Content-Type: application/json' --data-binary @bench/bodies/chat-stream.json "http://127.0.0.1:$D_PORT/v1/chat/completions" 2>/dev/null | grep -q '^data: \[DONE\]'; then
    SSE_ARMS="$SSE_ARMS D"
  else
    log "arm D does not relay SSE streams here (see bench/README.md): F3 runs arms $SSE_ARMS"
    echo '{"figure":"F3","arm":"D","round":"1","mode":"sse-probe","streams_failed_probe":1}' >> "$RAW"
  fi
fi

# F3 on the wire: while each gateway arm relays the streams, tcpdump captures the loopback
# traffic of its two sockets for F3_CAPTURE seconds inside the measuring window; `loadgen wire`
# matches every stream's two legs and times what the gateway added with the kernel's timestamps,
# which the load generator's and MockLlm's own delays on their shared core do not reach.
WIRE=0
if has F3 && [ "$REPORT_ONLY" = 0 ]; then
  if command -v tcpdump >/dev/null && [ "$(id -u)" = 0 ]; then WIRE=1
  else log "no tcpdump (apt-get install tcpdump) or not root: F3 is timed by the load generator only, not on the wire"; fi
fi
F3_CAPTURE=$(( F3_SECS >= 12 ? 6 : 3 ))
port_of() { local url; url=$(url_of "$1"); echo "${url##*:}"; }
wire_capture() { # arm round: from 1 s into the measuring window, F3_CAPTURE seconds
  local port; port=$(port_of "$1")
  sleep "$(( WARM + 2 ))"
  $PIN_LOAD timeout -s INT "$F3_CAPTURE" tcpdump -i lo -nn -s 0 -B 262144 --time-stamp-precision nano -w "$WORK/f3-$1.pcap" \
    "tcp and (port $port or port $MOCK_PORT) and ((((ip[2:2] - ((ip[0]&0xf)<<2)) - ((tcp[12]&0xf0)>>2)) != 0) or (tcp[tcpflags] & (tcp-syn|tcp-fin|tcp-rst) != 0))" \
    2>"$WORK/f3-$1.tcpdump.log" || true
}
wire_analyze() { # arm round
  local port; port=$(port_of "$1")
  $LOADGEN wire --pcap "$WORK/f3-$1.pcap" --gateway-port "$port" --upstream-port "$MOCK_PORT" --capture-log "$WORK/f3-$1.tcpdump.log" \
    --out "$RAW" --tag figure=F3 --tag variant=wire --tag arm="$1" --tag round="$2" >/dev/null || log "F3 wire analysis of arm $1 failed"
  rm -f "$WORK/f3-$1.pcap"
}

if has F1 || has F2 || has F3; then
  log "warming every arm for ${FIRST_WARM}s"
  for arm in $ARMS; do solo "$arm"; run_wrk "$arm" warm "$FIRST_WARM"; done
fi

for round in $(seq 1 "$ROUNDS"); do
  if has F1; then
    for arm in $ARMS; do log "F1 round $round arm $arm"; solo "$arm"; run_wrk "$arm" "$round" "$F1_SECS"; done
  fi
  if has F2; then
    for arm in $ARMS; do
      log "F2 round $round arm $arm"
      solo "$arm"
      mapfile -t H < <(hdr_opts "$arm" "$KNOBS_JSON")
      $PIN_LOAD env $RIG_ENV $LOADGEN json --url "$(url_of "$arm")/v1/chat/completions" --body-file bench/bodies/chat-1k.json "${H[@]}" \
        --concurrency 1 --warmup "$WARM" --duration "$F2_SECS" --out "$RAW" --tag figure=F2 --tag variant="c=1 sequential" --tag arm="$arm" --tag round="$round" >/dev/null
      $PIN_LOAD env $RIG_ENV $LOADGEN json --url "$(url_of "$arm")/v1/chat/completions" --body-file bench/bodies/chat-1k.json "${H[@]}" \
        --rate 500 --warmup "$WARM" --duration "$F2_SECS" --out "$RAW" --tag figure=F2 --tag variant="500 req/s open loop" --tag arm="$arm" --tag round="$round" >/dev/null
    done
  fi
  if has F3; then
    for arm in $SSE_ARMS; do
      log "F3 round $round arm $arm ($F3_STREAMS streams)"
      solo "$arm"
      mapfile -t H < <(hdr_opts "$arm" "$KNOBS_SSE")
      # Unique ids per stream: the wire capture matches a stream's two legs by the x-request-id the gateway forwards.
      $PIN_LOAD env $RIG_ENV $LOADGEN sse --url "$(url_of "$arm")/v1/chat/completions" --body-file bench/bodies/chat-stream.json "${H[@]}" \
        --header "x-request-id: f3-$arm-$round-{i}" \
        --concurrency "$F3_STREAMS" --expect-chunks "$F3_CHUNKS" --warmup "$WARM" --duration "$F3_SECS" --out "$RAW" --tag figure=F3 --tag arm="$arm" --tag round="$round" >/dev/null &
      sse_pid=$!; PIDS+=("$sse_pid")
      if [ "$WIRE" = 1 ] && [ "$arm" != A ]; then wire_capture "$arm" "$round"; fi
      wait "$sse_pid"
      if [ "$WIRE" = 1 ] && [ "$arm" != A ]; then wire_analyze "$arm" "$round"; fi
    done
  fi
done
resume_all

if has F4; then
  for arm in A B C N; do
    pid=$(pid_of "$arm"); [ -n "$pid" ] || continue
    log "F4 arm $arm: idle RSS, then $F4_WS idle WebSockets"
    sleep 2
    idle=$(rss_kib "$pid")
    url="$(url_of "$arm" | sed 's/^http/ws/')/v1/realtime?model=gpt-4o-realtime"
    rm -f "$WORK/ws-ready"
    mapfile -t H < <(hdr_opts "$arm")
    $PIN_LOAD env $RIG_ENV $LOADGEN ws --url "$url" "${H[@]}" --subprotocol realtime --count "$F4_WS" --hold 120 --ready-file "$WORK/ws-ready" \
      --out "$WORK/ws-$arm.jsonl" --tag arm="$arm" >/dev/null &
    ws_pid=$!; PIDS+=("$ws_pid")
    for _ in $(seq 1 480); do [ -f "$WORK/ws-ready" ] && break; sleep 0.5; done
    sleep 3
    loaded=$(rss_kib "$pid"); open=$(cat "$WORK/ws-ready" 2>/dev/null || echo 0)
    rm -f "$WORK/ws-ready"   # releases the sockets
    wait "$ws_pid" || true
    keys=$([ "$arm" = C ] || [ "$arm" = N ] && echo 10001 || echo 0)
    echo "{\"figure\":\"F4\",\"arm\":\"$arm\",\"round\":\"1\",\"start_rss_kib\":${START_RSS[$arm]:-0},\"idle_rss_kib\":$idle,\"ws_rss_kib\":$loaded,\"ws_open\":$open,\"snapshot_keys\":$keys}" >> "$RAW"
  done
fi

if has F6; then
  log "F6 metering exactness: $F6_REQUESTS mixed requests through the gateway"
  $PIN_LOAD $LOADGEN mixed --url "http://127.0.0.1:$C_PORT" --mock "http://127.0.0.1:$MOCK_PORT" --key "$BENCH_KEY" \
    --requests "$F6_REQUESTS" --ledger-dir "$WORK/proxy-data/ledger" --out "$RAW" --tag figure=F6 --tag arm=C --tag round=1 >/dev/null || log "F6 failed"
fi

fi # REPORT_ONLY

# ---------- report ----------
SETTINGS=(--settings "A: MockLlm, Release, $MOCK_ENV, CPU $CPU_LOAD"
          --settings "B: bench/PlainYarp, Release, YARP 2.3 and Kestrel defaults, CPU $CPU_SUT"
          --settings "C: src/Proxy, Release, published as src/Proxy/Dockerfile does (${C_PUBLISH}), the runtime settings it ships with (Proxy.csproj: workstation concurrent GC, ConserveMemory 7, TieredPGO; Dockerfile env: ${C_ENV% }), every policy on (key auth, model resolution, the demo catalog's content guard, rate limits + budget reservation, routing, metering with the spool and the NDJSON ledger, Prometheus metrics; no OTLP collector, so no spans), CPU $CPU_SUT"
          --settings "D: @portkey-ai/gateway@1.15.2 on Node $(node --version 2>/dev/null || echo '?'), CPU $CPU_SUT"
          --settings "Load: wrk 2 threads / 64 connections and bench/LoadGen ($RIG_ENV), CPU $CPU_LOAD"
          --settings "Warm-up before the first round: ${FIRST_WARM} s of wrk per arm (until the JIT has tiered the hot code up; bench/README.md)")
[ -n "$(grep -m1 '"arm":"N"' "$RAW" 2>/dev/null)" ] && SETTINGS+=(--settings "N: src/Proxy built with Native AOT (src/Proxy/Dockerfile.aot: ${N_PUBLISH}), the same policies and snapshot as C, Dockerfile.aot env: ${N_ENV% }, CPU $CPU_SUT")
[ -n "${F4_NOTE:-}" ] && has F4 && SETTINGS+=(--settings "$F4_NOTE")
CMD="${BENCH_COMMAND:-bench/run.sh${RUN_ARGS:+ $RUN_ARGS}}"
mkdir -p "$RESULTS/$DATE$SUFFIX"
$LOADGEN report --in "$RAW" --out-dir "$RESULTS/$DATE$SUFFIX" --name report.md --date "$DATE" --machine "$MACHINE" --command "$CMD" "${SETTINGS[@]}" >/dev/null
cp "$RESULTS/$DATE$SUFFIX/report.md" "$RESULTS/$DATE$SUFFIX.md"
sed -i "s#](\([a-z0-9]*\.png\))#]($DATE$SUFFIX/\1)#g" "$RESULTS/$DATE$SUFFIX.md"
if [ "$QUICK" = 0 ]; then
  mkdir -p "$ROOT/docs/benchmarks"
  cp "$RESULTS/$DATE$SUFFIX"/*.png "$ROOT/docs/benchmarks/" 2>/dev/null || true
  { cat "$ROOT/docs/benchmarks.header.md" 2>/dev/null; sed "s#](\([a-z0-9]*\.png\))#](benchmarks/\1)#g" "$RESULTS/$DATE$SUFFIX/report.md"; cat "$ROOT/docs/benchmarks.notes.md" 2>/dev/null; } > "$ROOT/docs/benchmarks.md"
fi
log "report: bench/results/$DATE$SUFFIX.md"
cat "$RESULTS/$DATE$SUFFIX.md"
