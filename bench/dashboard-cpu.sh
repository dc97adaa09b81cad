#!/usr/bin/env bash
# What the dashboard costs: its own CPU at a 1 s interval on one real redis-server 7.0 (goal: under
# 5% of a core), and the load it adds to the server (commands per poll, round trips per poll).
# The dashboard needs a terminal, so it runs inside a detached tmux session; its CPU time is read
# from /proc/<pid>/stat before and after a measuring window, the server's from INFO.
#
#   bash bench/dashboard-cpu.sh [SECONDS]      (default 60; needs tmux, redis-server, redis-cli; run npm run build first)
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_TO_MEASURE="${1:-60}"
for tool in tmux redis-server redis-cli; do command -v "$tool" >/dev/null || { echo "bench/dashboard-cpu.sh: $tool is missing (bash scripts/install-deps.sh installs it)" >&2; exit 2; }; done
[ -f dist/cli/main.js ] || { echo "bench/dashboard-cpu.sh: run npm run build first" >&2; exit 2; }

PORT=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
DIR=$(mktemp -d)
SOCK="redscope-bench-$$"
cleanup() {
  tmux -L "$SOCK" kill-server 2>/dev/null || true
  redis-cli -p "$PORT" shutdown nosave >/dev/null 2>&1 || true
  rm -rf "$DIR"
}
trap cleanup EXIT

redis-server --port "$PORT" --bind 127.0.0.1 --dir "$DIR" --save '' --appendonly no --daemonize yes --logfile "$DIR/redis.log"
for _ in $(seq 100); do redis-cli -p "$PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
redis-cli -p "$PORT" debug populate 10000 >/dev/null

tmux -L "$SOCK" new-session -d -x 160 -y 48 "node bin/redscope.js dashboard --url redis://127.0.0.1:$PORT --interval 1s; sleep 5"
# Wait (bounded) for the dashboard's node process and its first frame.
PID=""
for _ in $(seq 100); do
  PID=$(pgrep -f "^node bin/redscope.js dashboard --url redis://127.0.0.1:$PORT" | head -1 || true)
  [ -n "$PID" ] && tmux -L "$SOCK" capture-pane -p | grep -q "Throughput" && break
  sleep 0.1
done
[ -n "$PID" ] || { echo "bench/dashboard-cpu.sh: the dashboard did not start" >&2; exit 1; }
sleep 3 # let the first polls and JIT warm-up pass

ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
cmds() { redis-cli -p "$PORT" info stats | awk -F: '/^total_commands_processed/ {print $2+0}'; }
HZ=$(getconf CLK_TCK)
T0=$(ticks "$PID"); C0=$(cmds); S0=$(date +%s.%N)
sleep "$SECONDS_TO_MEASURE"
T1=$(ticks "$PID"); C1=$(cmds); S1=$(date +%s.%N)
tmux -L "$SOCK" send-keys q

node -e "
const [t0,t1,c0,c1,s0,s1,hz,interval]=process.argv.slice(1).map(Number);
const wall=s1-s0, cpu=(t1-t0)/hz, polls=wall/interval;
const cpuPct=100*cpu/wall;
// Two INFO stats calls of this script are in the window; take them out.
const perPoll=(c1-c0-1)/polls;
console.log('dashboard, 1 target, interval ' + interval + ' s, ' + wall.toFixed(1) + ' s measured');
console.log('  own CPU            ' + cpuPct.toFixed(2) + '% of a core   (goal < 5%: ' + (cpuPct < 5 ? 'met' : 'NOT met') + ')');
console.log('  server commands    ' + perPoll.toFixed(1) + ' per poll (one pipelined snapshot + client-side PINGs)');
console.log('  server load        ' + ((c1-c0-1)/wall).toFixed(1) + ' commands/s');
" "$T0" "$T1" "$C0" "$C1" "$S0" "$S1" "$HZ" 1
