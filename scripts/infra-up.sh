#!/usr/bin/env bash
# Makes NATS (JetStream), Redis and ClickHouse reachable at NATS_URL / REDIS_URL / CLICKHOUSE_URL.
# Reuses servers already answering there; otherwise installs Debian's packages and starts them on
# 127.0.0.1 with data under .data/. Servers it did not start are never touched (see scripts/stop.sh).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
mkdir -p "$DATA"

ensure_nats() {
  read -r host port < <(host_port "$NATS_URL" 4222)
  if tcp_open "$host" "$port"; then return 0; fi
  command -v nats-server >/dev/null || { log "installing nats-server"; apt_install nats-server; }
  log "starting nats-server (JetStream) on $host:$port"
  mkdir -p "$DATA/nats"
  # Detached from our stdio: whoever reads our output (a pipe, CI) must see it end when we exit.
  nats-server -a "$host" -p "$port" -js -sd "$DATA/nats" -l "$DATA/nats/nats.log" -P "$DATA/nats/nats.pid" </dev/null >/dev/null 2>&1 &
  disown
  wait_for nats tcp_open "$host" "$port"
}

ensure_redis() {
  read -r host port < <(host_port "$REDIS_URL" 6379)
  if tcp_open "$host" "$port"; then return 0; fi
  command -v redis-server >/dev/null || { log "installing redis-server"; apt_install redis-server; }
  log "starting redis-server (AOF on) on $host:$port"
  mkdir -p "$DATA/redis"
  redis-server --daemonize yes --bind "$host" --port "$port" --dir "$DATA/redis" --appendonly yes \
    --pidfile "$DATA/redis/redis.pid" --logfile "$DATA/redis/redis.log" >/dev/null
  wait_for redis tcp_open "$host" "$port"
}

clickhouse_ping() { curl -fsS --max-time 2 "$CLICKHOUSE_URL/ping" >/dev/null 2>&1; }

ensure_clickhouse() {
  if clickhouse_ping; then return 0; fi
  read -r host port < <(host_port "$CLICKHOUSE_URL" 8123)
  command -v clickhouse-server >/dev/null || { log "installing clickhouse-server (Debian package)"; apt_install clickhouse-server; }
  local dir="$DATA/clickhouse"
  mkdir -p "$dir/log" "$dir/tmp" "$dir/user_files" "$dir/format_schemas"
  sed -e "s#__DATA__#$dir#g" -e "s#__HTTP_PORT__#$port#g" -e "s#__TCP_PORT__#$((port + 877))#g" \
    "$ROOT/scripts/clickhouse/config.xml" > "$dir/config.xml"
  cp "$ROOT/scripts/clickhouse/users.xml" "$dir/users.xml"
  log "starting clickhouse-server on $host:$port (data in .data/clickhouse)"
  (cd "$dir" && clickhouse-server --daemon --config-file="$dir/config.xml" --pid-file="$dir/clickhouse.pid" >/dev/null 2>&1) || true
  wait_for clickhouse clickhouse_ping || { tail -20 "$dir/log/clickhouse-server.err.log" >&2 || true; return 1; }
}

ensure_node_modules
ensure_nats
ensure_redis
ensure_clickhouse
log "infrastructure ready: NATS $NATS_URL · Redis $REDIS_URL · ClickHouse $CLICKHOUSE_URL"
