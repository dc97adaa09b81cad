#!/usr/bin/env bash
# Installs the Debian packages the tests talk to (real redis-server and redis-cli, Tcl for Redis's
# own test suite, tmux for terminal tests, Prometheus tools and the reference redis_exporter), only
# those that are missing. Needs root (or sudo) on a Debian/Ubuntu machine.
set -euo pipefail

declare -A pkg_of=(
  [redis-server]=redis-server
  [redis-cli]=redis-tools
  [tclsh]=tcl
  [tmux]=tmux
  [promtool]=prometheus
  [prometheus-redis-exporter]=prometheus-redis-exporter
)
need=()
for bin in "${!pkg_of[@]}"; do
  command -v "$bin" >/dev/null 2>&1 || need+=("${pkg_of[$bin]}")
done
if [ ${#need[@]} -eq 0 ]; then
  echo "install-deps: all test dependencies present"
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "install-deps: installing ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
# The package may start a system redis on 6379; tests use their own free ports, so stop it.
$SUDO service redis-server stop >/dev/null 2>&1 || true
echo "install-deps: done"
