#!/usr/bin/env bash
# `npm start`: infrastructure plus every service that exists under services/, on loopback.
# Services run in the background with logs in .data/run/<service>.log; `npm run stop` stops them.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
bash scripts/infra-up.sh
mkdir -p "$DATA/run"
# Alerting's incident receiver acts at incident with an API key of its own (person "alerting"). For a local trial
# both sides get a generated development key unless you bring your own files.
if [ -z "${ALERTING_INCIDENT_API_KEY_FILE:-}" ]; then
  export ALERTING_INCIDENT_API_KEY_FILE="$DATA/alerting/incident-api-key"
  if [ ! -s "$ALERTING_INCIDENT_API_KEY_FILE" ]; then
    mkdir -p "$DATA/alerting"
    (umask 077; echo "vgl_$(head -c 18 /dev/urandom | base64 | tr -d '/+=')" >"$ALERTING_INCIDENT_API_KEY_FILE")
  fi
  if [ -z "${VIGIL_API_KEYS_FILE:-}" ]; then
    devkeys="$DATA/incident/api-keys.yaml"; key="$(cat "$ALERTING_INCIDENT_API_KEY_FILE")"
    mkdir -p "$DATA/incident"
    if [ ! -f "$devkeys" ]; then
      (umask 077; printf '# Vigil incident API keys: <key>: {person, team, admin}. Created for development; set VIGIL_API_KEYS_FILE in production.\nvgl_%s:\n  person: admin\n  team: sre\n  admin: true\n' "$(head -c 18 /dev/urandom | base64 | tr -d '/+=')" >"$devkeys")
    fi
    grep -q "^$key:" "$devkeys" || printf '%s:\n  person: alerting\n  team: sre\n  admin: false\n' "$key" >>"$devkeys"
  fi
fi
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
  echo "  alerting rules: ${VIGIL_RULES_DIR:-deploy/alerting/rules}, routing: ${ALERTING_ALERTMANAGER_CONFIG:-deploy/alerting/alertmanager.yml} (reload: curl -X POST http://127.0.0.1:${ALERTING_PORT:-9093}/-/reload)"
  echo "  Alertmanager API (amtool --alertmanager.url=http://127.0.0.1:${ALERTING_PORT:-9093}): http://127.0.0.1:${ALERTING_PORT:-9093}/api/v2/status"
fi
echo "  logs: .data/run/<service>.log · stop: npm run stop"
