#!/usr/bin/env bash
# Idle memory at start of two gateway variants (runtime settings, arguments or builds), F4's first
# reading taken the way bench/run.sh takes it: src/Proxy (Release) on CPU 1 with the benchmark's
# 10,001-key snapshot, one chat completion answered, 3 s idle, then RSS and its parts from
# /proc/<pid>/smaps_rollup. Variants start one at a time, alternating X Y X Y …, each stopped
# before the next starts; prints every start and the medians.
#   bench/start-memory.sh [--rounds 3] --x 'ENV=1 …' [--x-bin DIR] [--x-args '…'] --y '…' [--y-bin DIR] [--y-args '…']
# Pass the Dockerfile's DOTNET_* settings in --x/--y to measure what ships (see bench/README.md).
# Needs the binaries of a previous bench/run.sh in bench/.work/bin.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd); WORK="$ROOT/bench/.work"; OUT="$WORK/start-memory"; mkdir -p "$OUT"
# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"
ROUNDS=3
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) ROUNDS="$2"; shift ;;
    *) variant_option "$1" "${2:-}"; shift ;;
  esac
  shift
done
MOCK_PORT=19389; C_PORT=19382
start_mock_and_snapshot $MOCK_PORT
part() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/smaps_rollup"; }
declare -A RSS ANON FILE SHMEM
echo "| round | variant | RSS MiB | anonymous MiB | file-backed MiB | shared (JIT double mapping) MiB |"
echo "|---:|---|---:|---:|---:|---:|"
for round in $(seq 1 "$ROUNDS"); do
  for v in x y; do
    if [ $v = x ]; then bin=$XBIN; envs=$XENV; args=$XARGS; else bin=$YBIN; envs=$YENV; args=$YARGS; fi
    start_proxy "$v" $C_PORT "$bin" "$envs" "$args"; pid=$PROXY_PID
    wait_http "http://127.0.0.1:$C_PORT/health" 120 || true
    curl -fsS -o /dev/null -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
      --data-binary @bench/bodies/chat-1k.json "http://127.0.0.1:$C_PORT/v1/chat/completions"
    sleep 3
    rss=$(part "$pid" Rss); anon=$(part "$pid" Anonymous); shmem=$(part "$pid" Pss_Shmem)
    file=$(( rss - anon - shmem ))
    RSS[$v]+="$rss "; ANON[$v]+="$anon "; FILE[$v]+="$file "; SHMEM[$v]+="$shmem "
    printf '| %s | %s | %.1f | %.1f | %.1f | %.1f |\n' "$round" "$v" "$(echo "$rss/1024" | bc -l)" "$(echo "$anon/1024" | bc -l)" \
      "$(echo "$file/1024" | bc -l)" "$(echo "$shmem/1024" | bc -l)"
    kill "$pid"; wait "$pid" 2>/dev/null || true
  done
done
for v in x y; do
  # shellcheck disable=SC2086 # the lists are space-separated numbers
  printf '| median | %s | %.1f | %.1f | %.1f | %.1f |\n' "$v" "$(echo "$(med ${RSS[$v]})/1024" | bc -l)" "$(echo "$(med ${ANON[$v]})/1024" | bc -l)" \
    "$(echo "$(med ${FILE[$v]})/1024" | bc -l)" "$(echo "$(med ${SHMEM[$v]})/1024" | bc -l)"
done
