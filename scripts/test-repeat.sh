#!/usr/bin/env bash
# `npm run test:repeat -- N [jest path filters…]`: what the integration tests need, then scripts/test-repeat.ts.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bash "$ROOT/scripts/infra-up.sh"
ensure_chromium
cd "$ROOT" && exec node -r @swc-node/register scripts/test-repeat.ts "$@"
