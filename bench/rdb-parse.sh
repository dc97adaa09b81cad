#!/usr/bin/env bash
# RDB inspector speed and memory against redis-check-rdb, measured side by side in one run: builds
# (once, then cached under .cache/bench/) a >= 500 MB RDB with a real redis-server holding every type
# in several sizes, then times `redscope rdb --json FILE` and `redis-check-rdb FILE` alternately,
# RUNS runs each, and prints the medians, the redscope/redis-check-rdb ratio and both peak RSS.
# Goals (issue 3): ratio <= 1.5, redscope peak RSS < 300 MB.
#
#   bash bench/rdb-parse.sh                    # build or reuse the file, 3 runs each
#   RUNS=5 bash bench/rdb-parse.sh
#   SCALE=2 bash bench/rdb-parse.sh            # a file about twice as big (cached separately)
#   RDB=/path/to/dump.rdb bash bench/rdb-parse.sh        # time an existing file instead
#   REGENERATE=1 bash bench/rdb-parse.sh       # rebuild the cached file
#   GENERATE_ONLY=1 bash bench/rdb-parse.sh    # build the file and stop
#   CHECK_ONLY=1 bash bench/rdb-parse.sh       # time redis-check-rdb alone
#   REDSCOPE_BIN=/other/tree/bin/redscope.js bash bench/rdb-parse.sh
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
RUNS="${RUNS:-3}"
SCALE="${SCALE:-1}"
GEN_VERSION=1 # bump when the generator changes, so stale cached files are not reused
CACHE_DIR="$ROOT/.cache/bench"
RDB="${RDB:-$CACHE_DIR/rdb-parse-v$GEN_VERSION-scale$SCALE.rdb}"
REDSCOPE_BIN="${REDSCOPE_BIN:-$ROOT/bin/redscope.js}"
GOAL_RATIO=1.5
GOAL_RSS_MB=300

for tool in redis-server redis-cli redis-check-rdb node; do
  command -v "$tool" >/dev/null || { echo "bench: $tool not found" >&2; exit 1; }
done

WORK="$(mktemp -d /tmp/redscope-rdb-bench.XXXXXX)"
SERVER_PID=""
cleanup() {
  if [[ -n "$SERVER_PID" ]]; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# ---------------------------------------------------------------- the dataset

# Writes RESP commands for the collections and the sized strings on stdout, for redis-cli --pipe.
# Seeded, so every build of a given SCALE holds the same data. Values are slices of a random
# alphanumeric pool (LZF finds little to compress in them, as in most real data); DEBUG POPULATE adds
# the compressible kind.
cat >"$WORK/gen.mjs" <<'EOF'
const scale = Number(process.argv[2] ?? 1);
let seed = 0x5eed1234;
const rnd = () => {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const int = (lo, hi) => lo + Math.floor(rnd() * (hi - lo + 1));
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const POOL = Array.from({ length: 1 << 20 }, () => ALNUM[int(0, 61)]).join('');
const text = (n) => {
  const at = int(0, POOL.length - n - 1);
  return POOL.slice(at, at + n);
};
const FAR = 4102444800000; // 2100-01-01: keys with a TTL never expire during the bench

let out = [];
let size = 0;
const flush = () =>
  new Promise((resolve) => {
    const chunk = out.join('');
    out = [];
    size = 0;
    if (process.stdout.write(chunk)) resolve();
    else process.stdout.once('drain', resolve);
  });
// Arguments are ASCII, so string length = byte length.
async function cmd(args) {
  let s = `*${args.length}\r\n`;
  for (const a of args) s += `$${a.length}\r\n${a}\r\n`;
  out.push(s);
  size += s.length;
  if (size > 1 << 20) await flush();
}
const n = (x) => Math.max(1, Math.round(x * scale));

async function family(count, build) {
  for (let i = 0; i < n(count); i++) await build(i);
}

// strings beyond DEBUG POPULATE's: 50..500 bytes, some with a TTL; and a few large ones
await family(240000, (i) => cmd(i % 10 === 0 ? ['SET', `str:mid:${i}`, text(int(50, 500)), 'PXAT', String(FAR + i)] : ['SET', `str:mid:${i}`, text(int(50, 500))]));
await family(180, (i) => cmd(['SET', `str:big:${i}`, text(int(64, 512) * 1024)]));
// hashes: small (listpack) and large (hashtable)
await family(90000, (i) => {
  const a = ['HSET', `hash:small:${i}`];
  for (let f = int(5, 30); f > 0; f--) a.push(`field:${f}`, text(int(5, 60)));
  return cmd(a);
});
await family(180, async (i) => {
  for (let b = int(2, 10); b > 0; b--) {
    const a = ['HSET', `hash:big:${i}`];
    for (let f = 0; f < 500; f++) a.push(`f:${b}:${f}`, text(int(10, 80)));
    await cmd(a);
  }
});
// sets: intsets (16/32/64-bit members) and string sets (hashtable)
await family(30000, (i) => {
  const a = ['SADD', `set:int:${i}`];
  const max = [30000, 2000000000, 4000000000000][i % 3];
  for (let m = int(10, 200); m > 0; m--) a.push(String(int(0, max)));
  return cmd(a);
});
await family(600, async (i) => {
  for (let b = int(2, 6); b > 0; b--) {
    const a = ['SADD', `set:str:${i}`];
    for (let m = 0; m < 500; m++) a.push(text(int(8, 40)));
    await cmd(a);
  }
});
// sorted sets: small (listpack) and large (skiplist)
await family(48000, (i) => {
  const a = ['ZADD', `zset:small:${i}`];
  for (let m = int(5, 100); m > 0; m--) a.push(i % 2 ? String(int(0, 1e6)) : (rnd() * 1e4).toFixed(3), `member:${m}:${text(int(4, 20))}`);
  return cmd(a);
});
await family(180, async (i) => {
  for (let b = int(2, 10); b > 0; b--) {
    const a = ['ZADD', `zset:big:${i}`];
    for (let m = 0; m < 500; m++) a.push((rnd() * 1e6).toFixed(2), `m:${b}:${m}:${text(int(8, 30))}`);
    await cmd(a);
  }
});
// lists: small (one node) and long (many 8 KB nodes)
await family(48000, (i) => {
  const a = ['RPUSH', `list:small:${i}`];
  for (let e = int(5, 100); e > 0; e--) a.push(e % 4 === 0 ? String(int(0, 1e9)) : text(int(5, 60)));
  return cmd(a);
});
await family(60, async (i) => {
  for (let b = int(20, 100); b > 0; b--) {
    const a = ['RPUSH', `list:big:${i}`];
    for (let e = 0; e < 1000; e++) a.push(text(int(5, 40)));
    await cmd(a);
  }
});
// streams (db 1), half of them with a consumer group and pending entries
await cmd(['SELECT', '1']);
await family(1200, async (i) => {
  const key = `stream:${i}`;
  let ms = 1700000000000 + i * 1000000;
  for (let e = int(50, 500); e > 0; e--) {
    ms += int(1, 50);
    await cmd(['XADD', key, `${ms}-0`, 'event', ['click', 'view', 'buy'][e % 3], 'user', String(int(1, 1e6)), 'payload', text(int(10, 80))]);
  }
  if (i % 2 === 0) {
    await cmd(['XGROUP', 'CREATE', key, 'workers', '0']);
    await cmd(['XREADGROUP', 'GROUP', 'workers', `c${i % 7}`, 'COUNT', '20', 'STREAMS', key, '>']);
  }
});
await cmd(['SELECT', '0']);
await flush();
EOF

generate() {
  local port start
  port="$(free_port)"
  echo "bench: building $RDB (SCALE=$SCALE): a real redis-server, DEBUG POPULATE + redis-cli --pipe" >&2
  start="$(now)"
  redis-server --port "$port" --bind 127.0.0.1 --dir "$WORK" --dbfilename bench.rdb --save '' --appendonly no \
    --enable-debug-command yes --daemonize no --logfile "$WORK/redis.log" &
  SERVER_PID=$!
  for _ in $(seq 1 100); do [[ "$(redis-cli -p "$port" PING 2>/dev/null)" == PONG ]] && break; sleep 0.1; done
  local pop
  pop="$(awk -v s="$SCALE" 'BEGIN { printf "%d", 1200000 * s }')"
  redis-cli -p "$port" DEBUG POPULATE "$pop" str:pop >/dev/null                              # "value:N"
  redis-cli -p "$port" DEBUG POPULATE "$(( pop / 4 ))" str:padded 100 >/dev/null             # zero-padded: LZF
  echo "  DEBUG POPULATE done ($(elapsed "$start") s)" >&2
  node "$WORK/gen.mjs" "$SCALE" | redis-cli -p "$port" --pipe >"$WORK/pipe.log"
  tail -1 "$WORK/pipe.log" | sed 's/^/  redis-cli --pipe: /' >&2
  grep -q 'errors: 0,' "$WORK/pipe.log" || { echo "bench: redis-cli --pipe reported errors" >&2; exit 1; }
  echo "  data loaded ($(elapsed "$start") s): $(redis-cli -p "$port" INFO keyspace | grep '^db' | tr '\r\n' '  ')" >&2
  echo "  used_memory: $(redis-cli -p "$port" INFO memory | awk -F: '/^used_memory_human/ { print $2 }' | tr -d '\r')" >&2
  redis-cli -p "$port" SAVE >/dev/null
  redis-cli -p "$port" SHUTDOWN NOSAVE >/dev/null 2>&1 || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
  mkdir -p "$(dirname "$RDB")"
  mv "$WORK/bench.rdb" "$RDB.tmp" && mv "$RDB.tmp" "$RDB"
  echo "  saved $(du -m "$RDB" | cut -f1) MB in $(elapsed "$start") s" >&2
}

if [[ ! -f "$RDB" || -n "${REGENERATE:-}" ]]; then
  [[ "$RDB" == "$CACHE_DIR/"* ]] || { echo "bench: $RDB does not exist" >&2; exit 1; }
  generate
else
  echo "bench: reusing $RDB (REGENERATE=1 rebuilds it)" >&2
fi
SIZE_MB="$(awk -v b="$(stat -c %s "$RDB")" 'BEGIN { printf "%.0f", b / 1048576 }')"
[[ -n "${GENERATE_ONLY:-}" ]] && exit 0

# ---------------------------------------------------------------- timing

# measure NAME CMD...: appends "NAME wall_s peak_rss_kb exit_code cpu_s" to $WORK/results.
if [[ -z "${NO_GNU_TIME:-}" && -x /usr/bin/time ]] && /usr/bin/time -f %M true 2>/dev/null; then
  measure() {
    local name=$1; shift
    local rc=0
    /usr/bin/time -f '%e %M %U %S' -o "$WORK/time" "$@" >/dev/null 2>"$WORK/$name.stderr" || rc=$?
    # GNU time writes "Command exited with non-zero status N" first when the command fails.
    tail -1 "$WORK/time" | awk -v n="$name" -v rc="$rc" '{ printf "%s %s %s %s %.2f\n", n, $1, $2, rc, $3 + $4 }' >>"$WORK/results"
  }
else
  # No GNU time: bash's `time` for wall and CPU seconds, peak RSS polled from /proc/PID/status (VmHWM).
  measure() {
    local name=$1; shift
    local hwm=0 h rc=0 child=""
    ( TIMEFORMAT='%R %U %S'; time "$@" >/dev/null 2>"$WORK/$name.stderr" ) 2>"$WORK/time" &
    local pid=$!
    while kill -0 "$pid" 2>/dev/null; do
      [[ -n "$child" ]] || child="$(cat "/proc/$pid/task/$pid/children" 2>/dev/null | awk '{ print $1 }')"
      if [[ -n "$child" ]]; then
        h="$(awk '/^VmHWM/ { print $2 }' "/proc/$child/status" 2>/dev/null || true)"
        [[ -n "$h" && "$h" -gt "$hwm" ]] && hwm=$h
      fi
      sleep 0.02
    done
    wait "$pid" || rc=$?
    tail -1 "$WORK/time" | awk -v n="$name" -v rc="$rc" -v m="$hwm" '{ printf "%s %s %s %s %.2f\n", n, $1, m, rc, $2 + $3 }' >>"$WORK/results"
  }
fi

median() { sort -n | awk '{ a[NR]=$1 } END { if (NR==0) print 0; else print a[int((NR+1)/2)] }'; }
col() { awk -v n="$1" -v c="$2" '$1==n { print $c }' "$WORK/results"; }

RUN_REDSCOPE=1
[[ -n "${CHECK_ONLY:-}" ]] && RUN_REDSCOPE=0
if [[ $RUN_REDSCOPE == 1 && "$REDSCOPE_BIN" == "$ROOT/bin/redscope.js" && ! -f "$ROOT/dist/cli/main.js" ]]; then
  echo "bench: building redscope (npm run build)" >&2
  (cd "$ROOT" && npx tsc -p tsconfig.build.json) >/dev/null || true
fi

echo "file: $RDB ($SIZE_MB MB); $RUNS runs each, alternating; page cache warmed first"
echo "redis-check-rdb: $(redis-server --version | awk '{ print $3 }' | tr -d 'v='); redscope: $REDSCOPE_BIN"
cat "$RDB" >/dev/null
: >"$WORK/results"
for run in $(seq 1 "$RUNS"); do
  if [[ $RUN_REDSCOPE == 1 ]]; then
    measure redscope node "$REDSCOPE_BIN" rdb --json "$RDB"
    if [[ "$(col redscope 4 | tail -1)" != 0 ]]; then
      echo "bench: redscope rdb failed (exit $(col redscope 4 | tail -1)): $(grep -v '^Command exited' "$WORK/redscope.stderr" | head -3)" >&2
      RUN_REDSCOPE=0
      sed -i '/^redscope /d' "$WORK/results"
    fi
  fi
  measure check-rdb redis-check-rdb "$RDB"
  [[ "$(col check-rdb 4 | tail -1)" == 0 ]] || { echo "bench: redis-check-rdb failed: $(head -3 "$WORK/check-rdb.stderr")" >&2; exit 1; }
  echo "  run $run/$RUNS done" >&2
done

c_s="$(col check-rdb 2 | median)"
c_cpu="$(col check-rdb 5 | median)"
c_rss="$(col check-rdb 3 | sort -n | tail -1)"
echo
printf '%-16s %10s %10s %12s %14s\n' "" "median s" "MB/s" "median CPU s" "peak RSS MB"
printf '%-16s %10.2f %10.0f %12.2f %14.0f\n' redis-check-rdb "$c_s" "$(awk -v m="$SIZE_MB" -v s="$c_s" 'BEGIN { print (s > 0) ? m / s : 0 }')" "$c_cpu" "$(awk -v k="$c_rss" 'BEGIN { print k / 1024 }')"
status=0
if [[ -n "$(col redscope 2)" ]]; then
  r_s="$(col redscope 2 | median)"
  r_cpu="$(col redscope 5 | median)"
  r_rss="$(col redscope 3 | sort -n | tail -1)"
  r_rss_mb="$(awk -v k="$r_rss" 'BEGIN { printf "%.0f", k / 1024 }')"
  printf '%-16s %10.2f %10.0f %12.2f %14.0f\n' "redscope rdb" "$r_s" "$(awk -v m="$SIZE_MB" -v s="$r_s" 'BEGIN { print (s > 0) ? m / s : 0 }')" "$r_cpu" "$r_rss_mb"
  ratio="$(awk -v r="$r_s" -v c="$c_s" 'BEGIN { printf "%.2f", (c > 0) ? r / c : 0 }')"
  echo
  ok_ratio="$(awk -v x="$ratio" -v g="$GOAL_RATIO" 'BEGIN { print (x + 0 <= g + 0) ? "ok" : "ABOVE" }')"
  ok_rss="$(awk -v x="$r_rss_mb" -v g="$GOAL_RSS_MB" 'BEGIN { print (x + 0 < g + 0) ? "ok" : "ABOVE" }')"
  echo "time ratio redscope/redis-check-rdb: $ratio (goal <= $GOAL_RATIO: $ok_ratio)"
  echo "CPU-time ratio (less sensitive to a busy machine): $(awk -v r="$r_cpu" -v c="$c_cpu" 'BEGIN { printf "%.2f", (c > 0) ? r / c : 0 }')"
  echo "redscope peak RSS: $r_rss_mb MB (goal < $GOAL_RSS_MB MB: $ok_rss)"
  [[ "$ok_ratio" == ok && "$ok_rss" == ok ]] || status=1
else
  echo
  echo "redscope rdb: not timed"
  [[ -n "${CHECK_ONLY:-}" ]] || status=1
fi
exit "$status"
