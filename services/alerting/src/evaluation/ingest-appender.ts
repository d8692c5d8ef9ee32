import type { NatsConnection } from '@nats-io/nats-core';
import { Subjects, type IngestReply } from '@vigil/contracts';
import { encodeRemoteWriteBody, type EncodedTimeSeries } from '@vigil/metrics-input';
import { METRIC_NAME, labelsKey } from '@vigil/promql';
import { staleNaN } from '@vigil/series-model';
import type { RuleSample, SampleAppender } from './group-evaluator';

/**
 * Whether ingest stores the sample: finite floats and staleness markers of named series. NaN / ±Inf results and
 * native histograms are not written (ingest refuses non-finite values other than the staleness marker).
 */
export function writtenByIngest(s: RuleSample): boolean {
  return !s.h && (s.stale === true || Number.isFinite(s.v)) && s.labels.some((l) => l.name === METRIC_NAME && l.value !== '');
}

/**
 * Rule output as a remote-write request (the one input format that carries the staleness marker bit for bit):
 * one time series per label set, samples in the order given, explicit timestamps. Samples ingest would not store
 * are left out and counted in `skipped`.
 */
export function remoteWriteRequest(samples: readonly RuleSample[]): { timeseries: EncodedTimeSeries[]; skipped: number } {
  const series = new Map<string, EncodedTimeSeries>();
  let skipped = 0;
  for (const s of samples) {
    if (!writtenByIngest(s)) {
      skipped++;
      continue;
    }
    const key = labelsKey(s.labels);
    let entry = series.get(key);
    if (!entry) {
      entry = { labels: s.labels.map((l) => ({ name: l.name, value: l.value })), samples: [] };
      series.set(key, entry);
    }
    entry.samples.push({ value: s.stale ? staleNaN() : s.v, timestamp: Math.round(s.t) });
  }
  return { timeseries: [...series.values()], skipped };
}

export interface IngestAppenderOptions {
  /** Prepended to the subject (ingest's INGEST_SUBJECT_PREFIX). */
  subjectPrefix: string;
  timeoutMs?: number;
  /** Called when ingest rejects samples or does not answer; the evaluation goes on. */
  onFailure(error: Error): void;
  /** Samples not written because ingest would refuse them (NaN / ±Inf results, histograms). */
  onSkipped?(count: number): void;
}

/**
 * Writes rule output back through ingest (request/reply on `ingest.v1.write.prw`), so recorded series, ALERTS /
 * ALERTS_FOR_STATE and the staleness markers of series a rule stopped producing are stored and queryable like any
 * sample. The write is acknowledged once in ingest's WAL; it is in ClickHouse after ingest's writer flushed it.
 */
export class IngestSampleAppender implements SampleAppender {
  constructor(
    private readonly nc: NatsConnection,
    private readonly options: IngestAppenderOptions,
  ) {}

  async append(samples: readonly RuleSample[]): Promise<void> {
    const { timeseries, skipped } = remoteWriteRequest(samples);
    if (skipped > 0) this.options.onSkipped?.(skipped);
    if (!timeseries.length) return;
    try {
      const body = encodeRemoteWriteBody({ timeseries });
      const reply = await this.nc.request(`${this.options.subjectPrefix}${Subjects.ingestWriteRemoteWrite}`, body, { timeout: this.options.timeoutMs ?? 5000 });
      const answer = reply.json<IngestReply>();
      if (answer.status !== 204) this.options.onFailure(new Error(`ingest answered ${answer.status}: ${answer.error ?? ''} (${answer.accepted} accepted, ${answer.rejected} rejected)`));
    } catch (error) {
      this.options.onFailure(error instanceof Error ? error : new Error(String(error)));
    }
  }
}
