import { Subjects } from '@vigil/contracts';
import type { InputFormat } from '@vigil/metrics-input';

export type { InputFormat };

/** The subjects one ingest deployment uses: the contracts' names behind an optional isolation prefix. */
export interface IngestSubjects {
  input: Record<InputFormat, string>;
  inputAll: string;
  dlq: string;
  request: Record<InputFormat, string>;
}

export function ingestSubjects(prefix: string): IngestSubjects {
  return {
    input: {
      json: prefix + Subjects.metricsInJson,
      influx: prefix + Subjects.metricsInInflux,
      prw: prefix + Subjects.metricsInRemoteWrite,
    },
    inputAll: prefix + Subjects.metricsInAll,
    dlq: prefix + Subjects.metricsDlq,
    request: {
      json: prefix + Subjects.ingestWriteJson,
      influx: prefix + Subjects.ingestWriteInflux,
      prw: prefix + Subjects.ingestWriteRemoteWrite,
    },
  };
}

/** Which input format a WAL message is in, from its subject; undefined for a subject no parser knows. */
export function formatOfSubject(subjects: IngestSubjects, subject: string): InputFormat | undefined {
  for (const format of ['json', 'influx', 'prw'] as const) {
    if (subjects.input[format] === subject) return format;
  }
  return undefined;
}
