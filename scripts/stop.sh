#!/usr/bin/env bash
# Stops what scripts/start.sh and scripts/infra-up.sh started (pid files under .data/), nothing else.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
for pidfile in "$DATA"/run/*.pid "$DATA"/nats/nats.pid "$DATA"/redis/redis.pid "$DATA"/clickhouse/clickhouse.pid; do
  [ -f "$pidfile" ] || continue
  pid=$(cat "$pidfile")
  if kill -0 "$pid" 2>/dev/null; then log "stopping $(basename "$pidfile" .pid) (pid $pid)"; kill "$pid"; fi
  rm -f "$pidfile"
done
