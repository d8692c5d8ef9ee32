#!/usr/bin/env bash
# `npm start`: infrastructure plus every service that exists under services/, on loopback.
# Services run in the background with logs in .data/run/<service>.log; `npm run stop` stops them.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
bash scripts/infra-up.sh
mkdir -p "$DATA/run"
declare -A PORTS=([ingest]=9091 [query]=9090 [alerting]=9093 [incident]=9094 [notify]=9095)
urls=()
for main in services/*/src/main.ts; do
  [ -f "$main" ] || continue
  svc=$(basename "$(dirname "$(dirname "$main")")")
  var="$(echo "$svc" | tr a-z A-Z)_PORT"; port="${!var:-${PORTS[$svc]:-0}}"
  pidfile="$DATA/run/$svc.pid"
  if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    log "$svc already running (pid $(cat "$pidfile"))"
  else
    log "starting $svc on 127.0.0.1:$port"
    env "$var=$port" nohup node -r @swc-node/register "$main" >"$DATA/run/$svc.log" 2>&1 &
    echo $! >"$pidfile"
  fi
  if ! wait_for "$svc /healthz" curl -fs --max-time 1 "http://127.0.0.1:$port/healthz" -o /dev/null; then
    tail -30 "$DATA/run/$svc.log" >&2; exit 1
  fi
  urls+=("$svc: http://127.0.0.1:$port")
done
log "Vigil is up:"
for u in "${urls[@]}"; do echo "  $u"; done
if [ -f services/ingest/src/main.ts ]; then
  if [ -n "${INGEST_WRITE_TOKENS_FILE:-}" ]; then
    echo "  ingest write tokens: $INGEST_WRITE_TOKENS_FILE (send \"Authorization: Bearer <token>\")"
  else
    echo "  ingest writes are open on loopback; to require tokens: INGEST_WRITE_TOKENS_FILE=<yaml '<token>: {producer: <name>}'> npm start"
  fi
fi
if [ -f services/query/src/main.ts ]; then
  echo "  PromQL (Prometheus API, Grafana data source URL): http://127.0.0.1:${QUERY_PORT:-9090}"
  if [ -z "${QUERY_READ_TOKENS_FILE:-}" ]; then
    echo "  query reads are open on loopback; to require tokens: QUERY_READ_TOKENS_FILE=<yaml '<token>: {client: <name>}'> npm start"
  fi
fi
if [ -f services/incident/src/main.ts ]; then
  echo "  status page: http://127.0.0.1:${INCIDENT_PORT:-9094}/status · incident API docs: http://127.0.0.1:${INCIDENT_PORT:-9094}/docs"
  if [ -n "${VIGIL_API_KEYS_FILE:-}" ]; then
    echo "  incident API keys: $VIGIL_API_KEYS_FILE"
  elif [ -f "$DATA/incident/api-keys.yaml" ]; then
    echo "  incident admin API key (development, from .data/incident/api-keys.yaml): $(grep -m1 -o '^vgl_[^:]*' "$DATA/incident/api-keys.yaml")"
  fi
fi
if [ -f services/alerting/src/main.ts ]; then
  echo "  alerting rules: ${VIGIL_RULES_DIR:-deploy/alerting/rules} (reload: curl -X POST http://127.0.0.1:${ALERTING_PORT:-9093}/-/reload)"
fi
echo "  logs: .data/run/<service>.log · stop: npm run stop"
