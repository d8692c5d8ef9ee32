#!/usr/bin/env bash
# Runs a command with npm packages installed (no infrastructure needed).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_node_modules
cd "$ROOT" && exec "$@"
