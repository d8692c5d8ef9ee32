import type { MetricFamilyMetadata, Sample } from '@vigil/contracts';

/** One JetStream message's worth of validated samples. */
export interface WriteMessage {
  /** JetStream stream sequence of the message: the idempotency key of its samples. */
  seq: number;
  /** True when JetStream delivered this message before (a crash or timeout may have left it written but unacked). */
  redelivered: boolean;
  samples: Sample[];
  /** Metric family metadata carried by the message (may come without samples); stored by metric name, newest wins. */
  metadata?: MetricFamilyMetadata[];
}

export interface WriteResult {
  /** Samples inserted by this call. */
  inserted: number;
  /** Samples skipped because their message had already been written (redelivery). */
  skippedAsDuplicate: number;
  /** Metadata entries inserted by this call (entries unchanged since this process last wrote them are not). */
  metadataWritten?: number;
}

/**
 * The ingest writer's port to the metric store. Implementations insert all messages' samples in
 * one batched insert per table and resolve only after the store confirmed; they must make a
 * redelivered message's samples visible at most once.
 */
export interface MetricsWriter {
  write(messages: WriteMessage[]): Promise<WriteResult>;
}
