import { percentile, round } from '../lib/stats';
import { sleep } from '../lib/processes';
import { singleSampleBody } from './series-load';

export interface FreshnessOptions {
  /** Where remote write goes (`<base>/api/v1/write`). */
  writeBase: string;
  /** Where `/api/v1/alerts` is polled. */
  alertsBase: string;
  labels: Record<string, string> & { __name__: string };
  alert: string;
  high: number;
  low: number;
  repetitions: number;
  pollMs: number;
  timeoutMs: number;
  /** Stop early (the run's time budget is over). */
  deadline: number;
}

export interface FreshnessResult {
  repetitions: number;
  firingMs: number[];
  inactiveMs: number[];
  timeouts: number;
  errors: string[];
}

async function remoteWrite(base: string, body: Buffer): Promise<void> {
  const res = await fetch(`${base}/api/v1/write`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy', 'x-prometheus-remote-write-version': '0.1.0' },
    body,
  });
  const text = await res.text();
  if (res.status < 200 || res.status >= 300) throw new Error(`${base}/api/v1/write answered ${res.status}: ${text.slice(0, 200)}`);
}

/** The probe alert's state in `/api/v1/alerts` ('none' when it is not listed). */
async function probeState(base: string, alert: string): Promise<string> {
  const res = await fetch(`${base}/api/v1/alerts`, { signal: AbortSignal.timeout(5_000) });
  const body = (await res.json()) as { data?: { alerts?: Array<{ state: string; labels: Record<string, string> }> } };
  const found = body.data?.alerts?.find((a) => a.labels.alertname === alert);
  return found?.state ?? 'none';
}

/** Polls until `done(state)`; the ms from `since` to the poll that saw it, or undefined on timeout. */
async function waitState(o: FreshnessOptions, since: number, done: (state: string) => boolean, errors: string[]): Promise<number | undefined> {
  for (;;) {
    const state = await probeState(o.alertsBase, o.alert).catch((error: Error) => {
      if (errors.length < 5) errors.push(`poll: ${error.message}`);
      return 'error';
    });
    const now = Date.now();
    if (done(state)) return now - since;
    if (now - since > o.timeoutMs) return undefined;
    await sleep(o.pollMs);
  }
}

/**
 * Sample-to-firing latency: push one sample over the `for: 0s` threshold (T = when remote write answered 2xx),
 * poll `/api/v1/alerts` every `pollMs` until the alert is firing (latency = seen − T); then push one under it and
 * wait until the alert is gone, and repeat. Timestamps are the push time.
 */
export async function measureFreshness(o: FreshnessOptions): Promise<FreshnessResult> {
  const result: FreshnessResult = { repetitions: 0, firingMs: [], inactiveMs: [], timeouts: 0, errors: [] };
  for (let i = 0; i < o.repetitions && Date.now() < o.deadline; i++) {
    result.repetitions++;
    try {
      await remoteWrite(o.writeBase, singleSampleBody(o.labels, o.high, Date.now()));
      const accepted = Date.now();
      const firing = await waitState(o, accepted, (s) => s === 'firing', result.errors);
      if (firing === undefined) result.timeouts++;
      else result.firingMs.push(firing);
      await remoteWrite(o.writeBase, singleSampleBody(o.labels, o.low, Date.now()));
      const lowered = Date.now();
      const inactive = await waitState(o, lowered, (s) => s === 'none', result.errors);
      if (inactive === undefined) result.timeouts++;
      else result.inactiveMs.push(inactive);
    } catch (error) {
      if (result.errors.length < 5) result.errors.push((error as Error).message);
      await sleep(1000);
    }
  }
  return result;
}

export function summarizeFreshness(r: FreshnessResult) {
  const stats = (ms: number[]) => ({ n: ms.length, p50Ms: round(percentile(ms, 50)), p99Ms: round(percentile(ms, 99)), maxMs: ms.length ? round(Math.max(...ms)) : null });
  return { repetitions: r.repetitions, timeouts: r.timeouts, sampleToFiring: stats(r.firingMs), sampleToInactive: stats(r.inactiveMs), ...(r.errors.length ? { errors: r.errors } : {}) };
}
