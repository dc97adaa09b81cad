#!/usr/bin/env bash
# Throughput of the bundled engine relative to redis-server, measured side by side in one run:
# redis-benchmark (-c 50, -r 100000, --csv) on SET GET LPUSH HSET ZADD, unpipelined and with
# -P 16, servers taking turns, three runs each, median per test. Prints requests/s for both and
# the engine/redis ratio against the goals (>= 0.8 unpipelined, >= 0.45 at -P 16).
#
#   bash bench/engine-vs-redis.sh              # ~3 s per test on redis (n calibrated)
#   RUNS=5 SECONDS_PER_TEST=5 bash bench/engine-vs-redis.sh
#   N1=200000 N16=2000000 bash bench/engine-vs-redis.sh       # fixed request counts
#   PROFILE_DIR=/tmp/prof bash bench/engine-vs-redis.sh      # engine under node --cpu-prof
#   ENGINE_BIN=/other/tree/bin/redscope.js bash bench/...    # compare another build
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
TESTS="${TESTS:-set,get,lpush,hset,zadd}"
CLIENTS="${CLIENTS:-50}"
KEYSPACE="${KEYSPACE:-100000}"
RUNS="${RUNS:-3}"
SECONDS_PER_TEST="${SECONDS_PER_TEST:-3}"
PIPELINES="${PIPELINES:-1 16}"
ENGINE_BIN="${ENGINE_BIN:-$ROOT/bin/redscope.js}"
PROFILE_DIR="${PROFILE_DIR:-}"

for tool in redis-server redis-benchmark redis-cli node; do
  command -v "$tool" >/dev/null || { echo "bench: $tool not found" >&2; exit 1; }
done
# The binary runs dist/: build it when missing or older than any source file (a stale build
# would measure the wrong engine).
if [[ "$ENGINE_BIN" == "$ROOT/bin/redscope.js" ]] &&
  { [[ ! -f "$ROOT/dist/cli/main.js" ]] || [[ -n "$(find "$ROOT/src" -name '*.ts' -newer "$ROOT/dist/cli/main.js" -print -quit)" ]]; }; then
  echo "bench: building the engine (npm run build)" >&2
  (cd "$ROOT" && npx tsc -p tsconfig.build.json) >/dev/null || true
fi

WORK="$(mktemp -d /tmp/redscope-bench.XXXXXX)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill -INT "$pid" 2>/dev/null || true; done
  # A profiled engine writes its .cpuprofile on the way out: give it time.
  for _ in $(seq 1 100); do
    alive=0
    for pid in "${PIDS[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [[ $alive == 0 ]] && break
    sleep 0.1
  done
  for pid in "${PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }

wait_ready() {
  local port=$1
  for _ in $(seq 1 100); do
    if [[ "$(redis-cli -p "$port" PING 2>/dev/null)" == "PONG" ]]; then return 0; fi
    sleep 0.1
  done
  echo "bench: server on port $port did not start" >&2
  exit 1
}

REDIS_PORT="$(free_port)"
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$WORK" --daemonize no --logfile "$WORK/redis.log" &
PIDS+=($!)
ENGINE_PORT="$(free_port)"
NODE_FLAGS=()
if [[ -n "$PROFILE_DIR" ]]; then mkdir -p "$PROFILE_DIR"; NODE_FLAGS=(--cpu-prof "--cpu-prof-dir=$PROFILE_DIR"); fi
node "${NODE_FLAGS[@]}" "$ENGINE_BIN" server --port "$ENGINE_PORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$WORK" >"$WORK/engine.log" 2>&1 &
PIDS+=($!)
wait_ready "$REDIS_PORT"
wait_ready "$ENGINE_PORT"

# One redis-benchmark invocation; prints "TEST rps" lines.
bench() {
  local port=$1 pipeline=$2 n=$3
  redis-cli -p "$port" FLUSHALL >/dev/null
  redis-benchmark -p "$port" -c "$CLIENTS" -n "$n" -r "$KEYSPACE" -P "$pipeline" -t "$TESTS" --csv 2>/dev/null |
    awk -F'","' 'NR>1 { gsub(/"/,"",$1); gsub(/"/,"",$2); print $1, $2 }'
}

# Request count giving ~SECONDS_PER_TEST on redis for this pipeline depth (SET probe).
calibrate() {
  local pipeline=$1 fixed=$2
  if [[ -n "$fixed" ]]; then echo "$fixed"; return; fi
  local probe rate
  probe=$((pipeline == 1 ? 50000 : 400000))
  rate="$(redis-cli -p "$REDIS_PORT" FLUSHALL >/dev/null; redis-benchmark -p "$REDIS_PORT" -c "$CLIENTS" -n "$probe" -r "$KEYSPACE" -P "$pipeline" -t set --csv 2>/dev/null | awk -F'","' 'NR>1 { gsub(/"/,"",$2); print int($2) }')"
  echo $(( rate * SECONDS_PER_TEST ))
}

median() { sort -n | awk '{ a[NR]=$1 } END { if (NR==0) print 0; else print a[int((NR+1)/2)] }'; }

echo "redis-benchmark -c $CLIENTS -r $KEYSPACE -t $TESTS, $RUNS runs per server and depth, servers alternating"
echo "redis: $(redis-server --version | awk '{print $3}' | tr -d 'v=') on port $REDIS_PORT; engine: $ENGINE_BIN on port $ENGINE_PORT"
for P in $PIPELINES; do
  if [[ "$P" == 1 ]]; then N="$(calibrate 1 "${N1:-}")"; else N="$(calibrate "$P" "${N16:-}")"; fi
  echo "-P $P: -n $N" >&2
  for run in $(seq 1 "$RUNS"); do
    bench "$REDIS_PORT" "$P" "$N" | sed "s/^/redis $P $run /" >>"$WORK/results"
    bench "$ENGINE_PORT" "$P" "$N" | sed "s/^/engine $P $run /" >>"$WORK/results"
    echo "  run $run/$RUNS at -P $P done" >&2
  done
done

echo
printf '%-8s %4s %14s %14s %8s %8s\n' test P redis_rps engine_rps ratio goal
status=0
for P in $PIPELINES; do
  goal=$([[ "$P" == 1 ]] && echo 0.80 || echo 0.45)
  for T in $(awk -v p="$P" '$2==p { print $4 }' "$WORK/results" | awk '!seen[$0]++'); do
    r="$(awk -v p="$P" -v t="$T" '$1=="redis" && $2==p && $4==t { print $5 }' "$WORK/results" | median)"
    e="$(awk -v p="$P" -v t="$T" '$1=="engine" && $2==p && $4==t { print $5 }' "$WORK/results" | median)"
    ratio="$(awk -v r="$r" -v e="$e" 'BEGIN { if (r > 0) printf "%.2f", e / r; else print "n/a" }')"
    mark="$(awk -v x="$ratio" -v g="$goal" 'BEGIN { print (x + 0 >= g + 0) ? "ok" : "BELOW" }')"
    [[ "$mark" == ok ]] || status=1
    printf '%-8s %4s %14.0f %14.0f %8s %8s\n' "$T" "$P" "$r" "$e" "$ratio" ">=$goal $mark"
  done
done
if grep -qi "error" "$WORK/engine.log"; then echo; echo "engine log mentions errors:"; grep -i error "$WORK/engine.log" | head -5; fi
exit "$status"
