#!/usr/bin/env bash
# Runs a command with npm packages installed and NATS/Redis/ClickHouse reachable.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bash "$ROOT/scripts/infra-up.sh"
cd "$ROOT" && exec "$@"
