#!/usr/bin/env bash
# F2's c=1 requests timed on the wire: where plain YARP's and the gateway's added latency goes.
#   bench/c1-wire.sh [--rounds 3] [--secs 8] [--c-bin DIR] [--c-env 'K=V ...'] [--c-args '--Key=value ...']
# Plain YARP (B) and the gateway (C, src/Proxy from bench/.work/bin/Proxy unless --c-bin, with the
# Dockerfile's runtime settings) on CPU 1, MockLlm and bench/LoadGen on CPU 0, as bench/run.sh runs
# them; each warms 30 s under wrk, then per round each runs alone (the other paused) at
# concurrency 1 while tcpdump captures 3 s of the loopback. bench/c1-wire.py pairs every request
# with its upstream request and prints, per arm and round, the medians (and p90) of: client request
# -> upstream request (the arm's way in), the upstream leg, upstream's last byte -> the arm's last
# byte to the client (its way out), and the client's turnaround. Needs tcpdump and root.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd); WORK="$ROOT/bench/.work"; OUT="$WORK/c1-wire"; rm -rf "$OUT"; mkdir -p "$OUT"
# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"
ROUNDS=3; SECS=8; CBIN="$WORK/bin/Proxy"; CENV=""; CARGS=""
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) ROUNDS="$2"; shift ;; --secs) SECS="$2"; shift ;; --c-bin) CBIN="$2"; shift ;; --c-env) CENV="$2"; shift ;; --c-args) CARGS="$2"; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
command -v tcpdump >/dev/null || { echo "needs tcpdump (apt-get install tcpdump)" >&2; exit 2; }
MOCK_PORT=19589; B_PORT=19581; C_PORT=19582
start_mock_and_snapshot $MOCK_PORT
start_plain_yarp b $B_PORT; BP=$PLAIN_PID
start_proxy c $C_PORT "$CBIN" "$(dockerfile_env) $CENV" "$CARGS"; CP=$PROXY_PID
wait_http "http://127.0.0.1:$B_PORT/health"; wait_http "http://127.0.0.1:$C_PORT/health"
run_wrk() { wrk_post "$1" bench/bodies/chat-1k.json "Authorization: Bearer $2|x-mock-output-tokens: 120" 64 "$3" >/dev/null; }
kill -STOP "$CP"; run_wrk $B_PORT mock-client-key 30; kill -CONT "$CP"
kill -STOP "$BP"; run_wrk $C_PORT "$KEY" 30; kill -CONT "$BP"
for r in $(seq 1 "$ROUNDS"); do
  for arm in b c; do
    if [ $arm = b ]; then port=$B_PORT; key=mock-client-key; kill -STOP "$CP"; else port=$C_PORT; key=$KEY; kill -STOP "$BP"; fi
    taskset -c 0 env $RIG_ENV dotnet "$WORK/bin/LoadGen/LoadGen.dll" json --url "http://127.0.0.1:$port/v1/chat/completions" \
      --header "Authorization: Bearer $key" --header "x-mock-output-tokens: 120" --body-file "$ROOT/bench/bodies/chat-1k.json" \
      --concurrency 1 --warmup 2 --duration "$SECS" --out "$OUT/latency.jsonl" --tag arm=$arm --tag round="$r" >/dev/null &
    lg=$!
    sleep 4
    timeout -s INT 3 taskset -c 0 tcpdump -i lo -nn -s 128 --time-stamp-precision nano -w "$OUT/$arm.$r.pcap" \
      "tcp port $port or tcp port $MOCK_PORT" >/dev/null 2>&1 || true
    wait "$lg"
    kill -CONT "$CP" "$BP"
    echo "round $r $(python3 "$ROOT/bench/c1-wire.py" "$OUT/$arm.$r.pcap" "$port" "$MOCK_PORT" "$arm")"
  done
done
echo "LoadGen's c=1 latency (from its own clock), by round:"
python3 - "$OUT/latency.jsonl" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    d = json.loads(line)
    print(f"  round {d['round']} {d['arm']}: p50 {d['p50_ms']} ms, p99 {d['p99_ms']} ms")
PY
