import type { NatsConnection } from '@nats-io/nats-core';
import { Subjects, type IngestReply } from '@vigil/contracts';
import { METRIC_NAME } from '@vigil/promql';
import type { RuleSample, SampleAppender } from './group-evaluator';

/** Whether ingest's JSON write stores the sample: finite floats only (no stale markers, NaN/Inf results, histograms). */
export function writtenByIngest(s: RuleSample): boolean {
  return !s.stale && !s.h && Number.isFinite(s.v) && s.labels.some((l) => l.name === METRIC_NAME && l.value !== '');
}

/** The JSON batch body of `ingest.v1.write.json` for rule output (docs/ingest-formats.md), explicit timestamps. */
export function ingestBatch(samples: readonly RuleSample[]): { samples: { name: string; labels: Record<string, string>; value: number; timestamp: number }[] } {
  const out = [];
  for (const s of samples) {
    // The JSON format carries finite floats only: stale markers, NaN/Inf results and histograms are not written.
    if (!writtenByIngest(s)) continue;
    const labels: Record<string, string> = {};
    let name = '';
    for (const l of s.labels) {
      if (l.name === METRIC_NAME) name = l.value;
      else labels[l.name] = l.value;
    }
    if (name) out.push({ name, labels, value: s.v, timestamp: Math.round(s.t) });
  }
  return { samples: out };
}

export interface IngestAppenderOptions {
  /** Prepended to the subject (ingest's INGEST_SUBJECT_PREFIX). */
  subjectPrefix: string;
  timeoutMs?: number;
  /** Called when ingest rejects samples or does not answer; the evaluation goes on. */
  onFailure(error: Error): void;
}

/**
 * Writes rule output back through ingest (request/reply on `ingest.v1.write.json`), so recorded series and ALERTS /
 * ALERTS_FOR_STATE are stored and queryable like any sample. The write is acknowledged once in ingest's WAL; it is
 * in ClickHouse (and visible to the next evaluation) after ingest's writer flushed it.
 */
export class IngestSampleAppender implements SampleAppender {
  constructor(
    private readonly nc: NatsConnection,
    private readonly options: IngestAppenderOptions,
  ) {}

  async append(samples: readonly RuleSample[]): Promise<void> {
    const batch = ingestBatch(samples);
    if (!batch.samples.length) return;
    try {
      const reply = await this.nc.request(`${this.options.subjectPrefix}${Subjects.ingestWriteJson}`, JSON.stringify(batch), { timeout: this.options.timeoutMs ?? 5000 });
      const body = reply.json<IngestReply>();
      if (body.status !== 204) this.options.onFailure(new Error(`ingest answered ${body.status}: ${body.error ?? ''} (${body.accepted} accepted, ${body.rejected} rejected)`));
    } catch (error) {
      this.options.onFailure(error instanceof Error ? error : new Error(String(error)));
    }
  }
}
