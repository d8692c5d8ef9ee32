# Shared helpers for the start/test scripts. Sourced, not run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA="$ROOT/.data"
export NATS_URL="${NATS_URL:-nats://127.0.0.1:4222}"
export CLICKHOUSE_URL="${CLICKHOUSE_URL:-http://127.0.0.1:8123}"
export CLICKHOUSE_DB="${CLICKHOUSE_DB:-vigil}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
export NX_DAEMON=false NX_NO_CLOUD=true NX_SKIP_NX_CACHE="${NX_SKIP_NX_CACHE:-false}"

log() { printf '\033[1m[vigil]\033[0m %s\n' "$*" >&2; }

# host_port URL -> "host port"
host_port() {
  local rest="${1#*://}"; rest="${rest#*@}"; rest="${rest%%/*}"
  local host="${rest%:*}" port="${rest##*:}"
  [ "$host" = "$rest" ] && port="$2"
  echo "$host $port"
}

tcp_open() { timeout 2 bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null; }

wait_for() { # description command...
  local what="$1"; shift
  for _ in $(seq 1 120); do "$@" && return 0; sleep 0.5; done
  log "timed out waiting for $what"; return 1
}

apt_install() {
  if [ "$(id -u)" != 0 ]; then log "need root to apt-get install $*"; return 1; fi
  if [ -z "${VIGIL_APT_UPDATED:-}" ]; then DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null; export VIGIL_APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

ensure_node_modules() {
  if [ ! -d "$ROOT/node_modules" ] || [ "$ROOT/package-lock.json" -nt "$ROOT/node_modules/.package-lock.json" ]; then
    log "installing npm packages (npm ci)"
    (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

# The browser tests drive Debian's chromium (fonts-liberation so screenshots have legible text).
ensure_chromium() {
  [ -x /usr/bin/chromium ] || { log "installing chromium (Debian) for the browser tests"; apt_install chromium fonts-liberation; }
}
