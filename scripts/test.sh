#!/usr/bin/env bash
# `npm test`: every test Vigil has. Installs what is missing, brings up the infrastructure
# (scripts/infra-up.sh), then: architecture lint, typecheck, compose validation, unit tests,
# integration/e2e tests against real NATS, ClickHouse and Redis, and the PromQL conformance suite.
#
# Lint and unit tests run as Nx targets (`lint`, `test`; nx.json targetDefaults), one task per project, with Nx's
# local cache in .nx/cache (gitignored): a project whose inputs (its files, the production files of the projects
# it imports, the configs) did not change replays its result, and its jest report under .data/test-reports.
# A fresh clone has no cache and runs every task; NX_SKIP_NX_CACHE=true forces that anywhere.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
bash scripts/infra-up.sh
export PATH="$ROOT/node_modules/.bin:$PATH"
REPORTS="$DATA/test-reports"; rm -rf "$REPORTS"; mkdir -p "$REPORTS"
failed_steps=()
step() { local name="$1"; shift; log "── $name"; if ! "$@"; then failed_steps+=("$name"); fi; }

step "lint (module boundaries)" nx run-many -t lint --outputStyle=static
step "typecheck" tsc -p tsconfig.json
compose_check() {
  command -v docker-compose >/dev/null || { log "installing docker-compose (Debian) to validate docker-compose.yml"; apt_install docker-compose; }
  docker-compose -f docker-compose.yml config -q
}
[ -f docker-compose.yml ] && step "docker-compose.yml" compose_check
step "chromium" ensure_chromium
# Each project's test task writes .data/test-reports/unit-<project>.json (restored from the cache on a hit).
step "unit tests" nx run-many -t test --outputStyle=static
# Integration tests stay one jest process, one file at a time: they share the running NATS, ClickHouse and Redis,
# and `nx run-many -t int-test` would run one jest per project (concurrently unless --parallel=1, and paying jest's
# start-up per project). They are never cached: their outcome depends on the infrastructure, not only on the files.
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
