/**
 * `npm run test:repeat -- N [jest path filters…]`: runs the integration suite (or the matching files)
 * N times in a row against the same infrastructure and reports, per test that failed at least once, in
 * how many runs it failed. A test that fails once in ten runs is broken; this is how we find it.
 * Every run is a separate jest process, exactly as `npm test` starts it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { z } from 'zod';

const JestReport = z.object({
  numFailedTests: z.number(),
  numRuntimeErrorTestSuites: z.number(),
  testResults: z.array(
    z.object({
      name: z.string(),
      status: z.string(),
      message: z.string().optional(),
      assertionResults: z.array(z.object({ fullName: z.string(), status: z.string(), failureMessages: z.array(z.string()).optional() })),
    }),
  ),
});

function usage(message: string): never {
  process.stderr.write(`${message}\nusage: npm run test:repeat -- N [jest path filters…]\n`);
  process.exit(2);
}

const [countArg, ...filters] = process.argv.slice(2);
const runs = Number(countArg);
if (!Number.isInteger(runs) || runs < 1) usage(`N must be a positive integer, got ${JSON.stringify(countArg)}`);

const root = join(__dirname, '..');
const jest = join(root, 'node_modules', '.bin', 'jest');
const reports = mkdtempSync(join(tmpdir(), 'vigil-repeat-'));
/** test name → runs it failed in, with the first line of its first failure. */
const failures = new Map<string, { runs: number[]; firstError: string }>();
let passedRuns = 0;

function recordFailure(name: string, run: number, error: string): void {
  // The headline of the failure plus jest's Expected/Received lines, without colours.
  const lines = error.replace(/\x1b\[[0-9;]*m/g, '').split('\n').map((line) => line.trim()).filter(Boolean);
  const summary = [lines[0] ?? '', ...lines.filter((line) => /^(Expected|Received)/.test(line))].join(' | ');
  const entry = failures.get(name) ?? { runs: [], firstError: summary };
  if (!entry.runs.includes(run)) entry.runs.push(run);
  failures.set(name, entry);
}

for (let run = 1; run <= runs; run++) {
  const outputFile = join(reports, `run-${run}.json`);
  const started = Date.now();
  // The same jest command as scripts/test.sh's integration step.
  const result = spawnSync(
    jest,
    ['-c', 'jest.int.config.js', '--runInBand', '--silent', '--json', `--outputFile=${outputFile}`, ...filters],
    { cwd: root, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
  );
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  let failedHere = 0;
  try {
    const report = JestReport.parse(JSON.parse(readFileSync(outputFile, 'utf8')));
    for (const file of report.testResults) {
      const path = relative(root, file.name);
      const failedTests = file.assertionResults.filter((test) => test.status === 'failed');
      for (const test of failedTests) recordFailure(`${path} › ${test.fullName}`, run, test.failureMessages?.[0] ?? '');
      // A suite that failed outside any test (beforeAll, a crash, a compile error).
      if (file.status === 'failed' && failedTests.length === 0) recordFailure(`${path} (suite)`, run, file.message ?? '');
      failedHere += failedTests.length + (file.status === 'failed' && failedTests.length === 0 ? 1 : 0);
    }
  } catch (error) {
    recordFailure('(jest run)', run, `no report: ${(error as Error).message}; ${result.stderr.slice(-2000)}`);
    failedHere++;
  }
  if (failedHere === 0 && result.status !== 0) {
    recordFailure('(jest run)', run, `jest exited with ${result.status ?? result.signal}: ${result.stderr.slice(-2000)}`);
    failedHere++;
  }
  if (failedHere === 0) passedRuns++;
  process.stdout.write(`run ${run}/${runs}: ${failedHere === 0 ? 'passed' : `FAILED (${failedHere} failed)`} in ${seconds} s\n`);
}
rmSync(reports, { recursive: true, force: true });

if (failures.size > 0) {
  process.stdout.write('\nfailed at least once:\n');
  for (const [name, { runs: failedRuns, firstError }] of [...failures].sort((a, b) => b[1].runs.length - a[1].runs.length)) {
    process.stdout.write(`  ${failedRuns.length}/${runs} runs  ${name}\n      runs ${failedRuns.join(', ')}: ${firstError.slice(0, 400)}\n`);
  }
}
process.stdout.write(`\n${passedRuns} passed, ${runs - passedRuns} failed\n`);
process.exit(passedRuns === runs ? 0 : 1);
