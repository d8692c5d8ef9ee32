import { stringify } from 'yaml';
import { prng } from '@vigil/testing';

/**
 * The alerting benchmark's rule file, generated from a seed: `groups` groups, each with `recordingPerGroup`
 * recording rules first (so the group's alerts can use their output in the same evaluation) and then
 * `alertingPerGroup` alerting rules, over the metrics of bench/alerting/series-load.ts. Every rule selects one job
 * (`job="job-<n>"`), so the groups together touch every series, as a real rule set split per team would.
 *
 * Alert kinds, in turn: a gauge threshold, `rate()` of a counter, `sum by (job) (rate())`, `avg_over_time`, a
 * gauge divided into GiB with a long `for`, and a threshold on one of the group's own recorded series. Thresholds
 * are drawn so that a few per cent of the series cross them (some alerts fire, most rules stay quiet, as in
 * production); `for` is 0s, 30s, 1m or 2m depending on the kind.
 *
 * `probe` adds one more group (always at 1 s) with a single `for: 0s` alert on a dedicated series, for the
 * sample-to-firing latency measurement.
 */
export interface RuleFileOptions {
  seed: number;
  groups: number;
  alertingPerGroup: number;
  recordingPerGroup: number;
  /** The `interval` of every generated group, seconds. */
  intervalSeconds: number;
  /** Jobs `job-0` … `job-<jobs-1>` exist in the data. */
  jobs: number;
  probe?: ProbeRule;
}

export interface ProbeRule {
  group: string;
  alert: string;
  /** A full selector, e.g. `bench_probe_value{probe="abc"}`. */
  selector: string;
  threshold: number;
}

export interface GeneratedRuleFile {
  yaml: string;
  groupNames: string[];
  alerting: number;
  recording: number;
}

interface RuleYaml {
  record?: string;
  alert?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

type RecordingKind = 'rate' | 'cpu' | 'queue' | 'memory';
const RECORDING_KINDS: RecordingKind[] = ['rate', 'cpu', 'queue', 'memory'];
/** Thresholds on a recorded per-job series that only a few jobs cross (see series-load.ts for the value ranges). */
const RECORDED_THRESHOLD: Record<RecordingKind, (r: number) => number> = {
  rate: (r) => 1650 + 300 * r,
  cpu: (r) => 0.55 + 0.1 * r,
  queue: (r) => 106 + 5 * r,
  memory: (r) => (60 + 20 * r) * 2 ** 30,
};

/** Rounds to 4 significant digits so the file stays readable. */
const num = (v: number) => String(Number(v.toPrecision(4)));

function recordingRule(g: number, k: number, job: string): RuleYaml {
  const kind = RECORDING_KINDS[k % RECORDING_KINDS.length];
  const name = (what: string) => `bench:g${g}r${k}:${what}`;
  switch (kind) {
    case 'rate':
      return { record: name('http_requests:rate1m'), expr: `sum by (job) (rate(bench_http_requests_total{job="${job}"}[1m]))` };
    case 'cpu':
      return { record: name('cpu_usage:avg'), expr: `avg by (job) (bench_cpu_usage{job="${job}"})` };
    case 'queue':
      return { record: name('queue_depth:max_avg5m'), expr: `max by (job) (avg_over_time(bench_queue_depth{job="${job}"}[5m]))` };
    case 'memory':
      return { record: name('memory_bytes:sum'), expr: `sum by (job) (bench_memory_bytes{job="${job}"})` };
  }
}

function alertingRule(g: number, k: number, job: string, r: number, recorded: RuleYaml[]): RuleYaml {
  const labels = { severity: k % 3 === 0 ? 'page' : 'ticket', team: `team-${g % 5}` };
  const annotations = { summary: '{{ $labels.instance }} of {{ $labels.job }} is at {{ $value | humanize }}' };
  const base = (alert: string, expr: string, forDuration: string): RuleYaml => ({ alert: `Bench${alert}_g${g}_${k}`, expr, for: forDuration, labels, annotations });
  switch (k % 6) {
    case 0:
      return base('HighCpu', `bench_cpu_usage{job="${job}"} > ${num(0.95 + 0.045 * r)}`, '0s');
    case 1:
      return base('HighRequestRate', `rate(bench_http_requests_total{job="${job}"}[1m]) > ${num(105 + 30 * r)}`, '30s');
    case 2:
      return base('JobRequestRate', `sum by (job) (rate(bench_http_requests_total{job="${job}"}[5m])) > ${num(1650 + 300 * r)}`, '1m');
    case 3:
      return base('QueueBacklog', `avg_over_time(bench_queue_depth{job="${job}"}[5m]) > ${num(95 + 10 * r)}`, '0s');
    case 4:
      return base('MemoryHigh', `bench_memory_bytes{job="${job}"} / 1024 / 1024 / 1024 > ${num(3.9 + 0.5 * r)}`, '2m');
    default: {
      const source = recorded[k % recorded.length];
      const kind = RECORDING_KINDS[(k % recorded.length) % RECORDING_KINDS.length];
      return base('RecordedThreshold', `${source.record} > ${num(RECORDED_THRESHOLD[kind](r))}`, '0s');
    }
  }
}

/** The rule file (YAML text) and what it holds. Same options, same text. */
export function generateRuleFile(options: RuleFileOptions): GeneratedRuleFile {
  const random = prng(options.seed);
  const groups = [];
  const groupNames: string[] = [];
  let alerting = 0;
  let recording = 0;
  for (let g = 0; g < options.groups; g++) {
    // Each group's rules walk the jobs from their own starting point, so every job is covered by every group kind.
    const jobOf = (k: number) => `job-${(g * 7 + k) % options.jobs}`;
    const recorded = Array.from({ length: options.recordingPerGroup }, (_, k) => recordingRule(g, k, jobOf(k)));
    const alerts = Array.from({ length: options.alertingPerGroup }, (_, k) => alertingRule(g, k, jobOf(k), random(), recorded));
    const name = `bench-${String(g).padStart(2, '0')}`;
    groupNames.push(name);
    groups.push({ name, interval: `${options.intervalSeconds}s`, rules: [...recorded, ...alerts] });
    alerting += alerts.length;
    recording += recorded.length;
  }
  if (options.probe) {
    const p = options.probe;
    groupNames.push(p.group);
    groups.push({
      name: p.group,
      interval: '1s',
      rules: [{ alert: p.alert, expr: `${p.selector} > ${p.threshold}`, for: '0s', labels: { severity: 'page' }, annotations: { summary: 'probe at {{ $value }}' } }],
    });
    alerting += 1;
  }
  return { yaml: stringify({ groups }, { lineWidth: 0 }), groupNames, alerting, recording };
}
