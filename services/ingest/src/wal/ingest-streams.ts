import { AckPolicy, DeliverPolicy, DiscardPolicy, RetentionPolicy, StorageType, type JetStreamManager } from '@nats-io/jetstream';
import { ensureConsumer, ensureStream } from '@vigil/platform';
import type { IngestSubjects } from './ingest-subjects';

export interface IngestStreamNames {
  stream: string;
  dlqStream: string;
  consumer: string;
}

const SECOND_NS = 1_000_000_000;

/**
 * The write-ahead log: a file-backed work-queue stream, so a message stays until the writer acked it
 * (no age limit can drop unwritten samples). The 2-minute duplicate window backs `msgID` retries.
 * The DLQ keeps rejects for two weeks for inspection and replay.
 */
export async function ensureIngestStreams(jsm: JetStreamManager, names: IngestStreamNames, subjects: IngestSubjects, ackWaitMs: number) {
  await ensureStream(jsm, {
    name: names.stream,
    subjects: [subjects.inputAll],
    storage: StorageType.File,
    retention: RetentionPolicy.Workqueue,
    discard: DiscardPolicy.New,
    duplicate_window: 120 * SECOND_NS,
  });
  await ensureStream(jsm, {
    name: names.dlqStream,
    subjects: [subjects.dlq],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    max_age: 14 * 24 * 3600 * SECOND_NS,
    duplicate_window: 120 * SECOND_NS,
  });
  await ensureWriterConsumer(jsm, names, ackWaitMs);
}

/**
 * One durable pull consumer shared by all instances (JetStream spreads pulls across them).
 * max_deliver is unlimited on purpose: the writer itself moves a repeatedly failing message to the DLQ.
 */
async function ensureWriterConsumer(jsm: JetStreamManager, names: IngestStreamNames, ackWaitMs: number) {
  const config = {
    durable_name: names.consumer,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    ack_wait: ackWaitMs * 1_000_000,
    max_ack_pending: 50_000,
    max_waiting: 512,
  };
  await ensureConsumer(jsm, names.stream, config, { ack_wait: config.ack_wait, max_ack_pending: config.max_ack_pending });
}
