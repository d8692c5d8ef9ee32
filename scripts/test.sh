#!/usr/bin/env bash
# `npm test`: every test Vigil has. Installs what is missing, brings up the infrastructure
# (scripts/infra-up.sh), then: architecture lint, typecheck, compose validation, unit tests,
# integration/e2e tests against real NATS, ClickHouse and Redis, and the PromQL conformance suite.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
bash scripts/infra-up.sh
export PATH="$ROOT/node_modules/.bin:$PATH"
REPORTS="$DATA/test-reports"; rm -rf "$REPORTS"; mkdir -p "$REPORTS"
failed_steps=()
step() { local name="$1"; shift; log "── $name"; if ! "$@"; then failed_steps+=("$name"); fi; }

# The Nx project graph must exist before @nx/enforce-module-boundaries can check imports.
lint_all() { nx show projects >/dev/null && eslint --no-error-on-unmatched-pattern libs services; }
step "lint (module boundaries)" lint_all
step "typecheck" tsc -p tsconfig.json
compose_check() {
  command -v docker-compose >/dev/null || { log "installing docker-compose (Debian) to validate docker-compose.yml"; apt_install docker-compose; }
  docker-compose -f docker-compose.yml config -q
}
[ -f docker-compose.yml ] && step "docker-compose.yml" compose_check
step "chromium" ensure_chromium
step "unit tests" jest -c jest.unit.config.js --json --outputFile="$REPORTS/unit.json"
# No --forceExit: every suite closes what it opened in afterAll, so jest exits on its own once the last suite ends.
step "integration tests" jest -c jest.int.config.js --runInBand --passWithNoTests --json --outputFile="$REPORTS/int.json"
if [ -f libs/promql/conformance/run-conformance.ts ]; then
  step "promql conformance" node -r @swc-node/register libs/promql/conformance/run-conformance.ts
fi

node -e '
  const fs = require("fs"); let passed = 0, failed = 0;
  for (const f of fs.readdirSync(process.argv[1])) {
    const r = JSON.parse(fs.readFileSync(process.argv[1] + "/" + f, "utf8"));
    passed += r.numPassedTests; failed += r.numFailedTests + r.numRuntimeErrorTestSuites;
  }
  console.log(`jest: ${passed} passed, ${failed} failed`);
' "$REPORTS"
if [ ${#failed_steps[@]} -gt 0 ]; then log "FAILED: ${failed_steps[*]}"; exit 1; fi
log "all test steps passed"
