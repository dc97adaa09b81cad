#!/usr/bin/env bash
# Scrape cost of `redscope exporter` relative to Debian's prometheus-redis-exporter, measured side
# by side in one run: one real redis-server 7.0 (with some data, command statistics and slow log
# entries, so a scrape has something to say), both exporters pointed at it, then SCRAPES rounds in
# which each exporter's /metrics is fetched once (the order flips every round). Prints the median
# scrape duration of each (curl's time_total: connect + request + full body), the redscope/reference
# ratio against the goal (<= 1.0) and the resident memory of both exporters after the run.
#
#   bash bench/exporter-scrape.sh                    # npm run build, then 50 scrapes each
#   SCRAPES=200 bash bench/exporter-scrape.sh
#   NO_BUILD=1 REDSCOPE_BIN=/other/tree/bin/redscope.js bash bench/exporter-scrape.sh
#   PROFILE_DIR=/tmp/prof bash bench/exporter-scrape.sh   # ours under node --cpu-prof
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SCRAPES="${SCRAPES:-50}"
WARMUP="${WARMUP:-50}"
REDSCOPE_BIN="${REDSCOPE_BIN:-$ROOT/bin/redscope.js}"
REFERENCE="${REFERENCE:-prometheus-redis-exporter}"
EXTRA_ARGS="${EXTRA_ARGS:-}"
PROFILE_DIR="${PROFILE_DIR:-}"
GOAL="1.0"

for tool in redis-server redis-cli redis-benchmark curl node "$REFERENCE"; do
  command -v "$tool" >/dev/null || { echo "bench: $tool not found" >&2; exit 1; }
done
if [[ -z "${NO_BUILD:-}" && "$REDSCOPE_BIN" == "$ROOT/bin/redscope.js" ]]; then
  echo "bench: npm run build" >&2
  (cd "$ROOT" && npm run build --silent) >/dev/null 2>&1 || echo "bench: build reported errors; using dist/ as it is" >&2
fi

WORK="$(mktemp -d /tmp/redscope-exporter-bench.XXXXXX)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  # A profiled node writes its .cpuprofile on the way out: give everyone a moment.
  for _ in $(seq 1 50); do
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

wait_http() {
  local url=$1 pid=$2 what=$3
  for _ in $(seq 1 200); do
    curl -fs -o /dev/null "$url" && return 0
    kill -0 "$pid" 2>/dev/null || { echo "bench: $what exited; its log:" >&2; cat "$WORK/$what.log" >&2; exit 1; }
    sleep 0.05
  done
  echo "bench: $what did not answer on $url" >&2
  exit 1
}

# --- the server, with something to report -------------------------------------------------------
REDIS_PORT="$(free_port)"
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$WORK" \
  --daemonize no --logfile "$WORK/redis.log" --enable-debug-command local --latency-monitor-threshold 1 &
PIDS+=($!)
for _ in $(seq 1 100); do [[ "$(redis-cli -p "$REDIS_PORT" PING 2>/dev/null)" == "PONG" ]] && break; sleep 0.1; done
redis-cli -p "$REDIS_PORT" DEBUG POPULATE 10000 key 64 >/dev/null
redis-cli -p "$REDIS_PORT" -n 1 DEBUG POPULATE 2000 other 32 >/dev/null
# A full slow log (128 entries of assorted commands) that then stays put, as on a server that has
# run for a while: log everything during the load, then go back to the default 10 ms threshold.
redis-cli -p "$REDIS_PORT" CONFIG SET slowlog-log-slower-than 0 >/dev/null
redis-benchmark -p "$REDIS_PORT" -c 4 -n 2000 -r 5000 -t set,get,incr,lpush,rpop,sadd,hset,zadd,mset -q >/dev/null 2>&1
redis-cli -p "$REDIS_PORT" CONFIG SET slowlog-log-slower-than 10000 >/dev/null
redis-cli -p "$REDIS_PORT" DEBUG SLEEP 0.02 >/dev/null

# --- both exporters ------------------------------------------------------------------------------
REF_PORT="$(free_port)"
"$REFERENCE" --redis.addr "redis://127.0.0.1:$REDIS_PORT" --web.listen-address "127.0.0.1:$REF_PORT" >"$WORK/reference.log" 2>&1 &
REF_PID=$!
PIDS+=($REF_PID)
OURS_PORT="$(free_port)"
NODE_FLAGS=()
if [[ -n "$PROFILE_DIR" ]]; then mkdir -p "$PROFILE_DIR"; NODE_FLAGS=(--cpu-prof "--cpu-prof-dir=$PROFILE_DIR"); fi
# shellcheck disable=SC2086
node "${NODE_FLAGS[@]}" "$REDSCOPE_BIN" exporter --listen "127.0.0.1:$OURS_PORT" --url "redis://127.0.0.1:$REDIS_PORT" $EXTRA_ARGS >"$WORK/redscope.log" 2>&1 &
OURS_PID=$!
PIDS+=($OURS_PID)
wait_http "http://127.0.0.1:$REF_PORT/health" "$REF_PID" reference
wait_http "http://127.0.0.1:$OURS_PORT/health" "$OURS_PID" redscope

REF_URL="http://127.0.0.1:$REF_PORT/metrics"
OURS_URL="http://127.0.0.1:$OURS_PORT/metrics"

REF_SAMPLES=$(curl -s "$REF_URL" | grep -v '^#' | grep -c . || true)
OURS_SAMPLES=$(curl -s "$OURS_URL" | grep -v '^#' | grep -c . || true)

# Scrapes in the given order; "URL CODE SECONDS" per scrape. Like Prometheus, one curl keeps its
# connection to each exporter alive across scrapes; FRESH_CONNECTIONS=1 opens one per scrape.
run_scrapes() {
  local fmt='%{url_effective} %{http_code} %{time_total}\n' url
  if [[ -n "${FRESH_CONNECTIONS:-}" ]]; then
    for url in "$@"; do curl -s -o /dev/null -w "$fmt" "$url"; done
  else
    for url in "$@"; do printf 'url = "%s"\noutput = "/dev/null"\n' "$url"; done >"$WORK/curl.conf"
    curl -s -w "$fmt" -K "$WORK/curl.conf"
  fi
}
ORDER=()
for i in $(seq 1 "$SCRAPES"); do
  if (( i % 2 )); then ORDER+=("$REF_URL" "$OURS_URL"); else ORDER+=("$OURS_URL" "$REF_URL"); fi
done
WARM=()
for _ in $(seq 1 "$WARMUP"); do WARM+=("$REF_URL" "$OURS_URL"); done
run_scrapes "${WARM[@]}" >/dev/null

# CPU seconds (user + system) a process has used so far, from /proc/PID/stat.
TICKS="$(getconf CLK_TCK)"
cpu_s() { awk -v t="$TICKS" '{ sub(/^.*\) /, ""); printf "%.3f", ($12 + $13) / t }' "/proc/$1/stat"; }

REF_CPU0="$(cpu_s "$REF_PID")"
OURS_CPU0="$(cpu_s "$OURS_PID")"
run_scrapes "${ORDER[@]}" >"$WORK/scrapes"
if awk '$2 != 200 { bad = 1 } END { exit !bad }' "$WORK/scrapes"; then
  echo "bench: a scrape did not answer 200:" >&2
  awk '$2 != 200' "$WORK/scrapes" | head -5 >&2
  exit 1
fi
awk -v u="$REF_URL" '$1 == u { print $3 }' "$WORK/scrapes" >"$WORK/ref.times"
awk -v u="$OURS_URL" '$1 == u { print $3 }' "$WORK/scrapes" >"$WORK/ours.times"
[[ "$(wc -l <"$WORK/ours.times")" == "$SCRAPES" && "$(wc -l <"$WORK/ref.times")" == "$SCRAPES" ]] || { echo "bench: lost scrapes" >&2; exit 1; }

median_ms() { sort -g "$1" | awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.2f", m * 1000 }'; }
p90_ms() { sort -g "$1" | awk '{ v[NR] = $1 } END { i = int(NR * 0.9); if (i < 1) i = 1; printf "%.2f", v[i] * 1000 }'; }
rss_mb() { awk -v k="$2" '$1 == k":" { printf "%.1f", $2 / 1024 }' "/proc/$1/status" 2>/dev/null || echo "?"; }

REF_CPU_MS="$(awk -v a="$(cpu_s "$REF_PID")" -v b="$REF_CPU0" -v n="$SCRAPES" 'BEGIN { printf "%.2f", (a - b) * 1000 / n }')"
OURS_CPU_MS="$(awk -v a="$(cpu_s "$OURS_PID")" -v b="$OURS_CPU0" -v n="$SCRAPES" 'BEGIN { printf "%.2f", (a - b) * 1000 / n }')"
REF_MED="$(median_ms "$WORK/ref.times")"
OURS_MED="$(median_ms "$WORK/ours.times")"
RATIO="$(awk -v a="$OURS_MED" -v b="$REF_MED" 'BEGIN { printf "%.2f", a / b }')"

echo "exporter scrape: $SCRAPES scrapes each of /metrics, alternating; redis-server $(redis-server --version | sed -n 's/.*v=\([^ ]*\).*/\1/p') on :$REDIS_PORT"
printf '%-26s %10s %10s %14s %8s %8s %12s\n' exporter "median ms" "p90 ms" "CPU ms/scrape" samples "RSS MB" "peak RSS MB"
printf '%-26s %10s %10s %14s %8s %8s %12s\n' "$REFERENCE" "$REF_MED" "$(p90_ms "$WORK/ref.times")" "$REF_CPU_MS" "$REF_SAMPLES" "$(rss_mb "$REF_PID" VmRSS)" "$(rss_mb "$REF_PID" VmHWM)"
printf '%-26s %10s %10s %14s %8s %8s %12s\n' "redscope exporter" "$OURS_MED" "$(p90_ms "$WORK/ours.times")" "$OURS_CPU_MS" "$OURS_SAMPLES" "$(rss_mb "$OURS_PID" VmRSS)" "$(rss_mb "$OURS_PID" VmHWM)"
echo "ratio redscope/reference (median): $RATIO (goal <= $GOAL); CPU per scrape ratio: $(awk -v a="$OURS_CPU_MS" -v b="$REF_CPU_MS" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "?" }')"
if awk -v r="$RATIO" -v g="$GOAL" 'BEGIN { exit !(r > g) }'; then
  echo "bench: goal missed" >&2
  exit 1
fi
