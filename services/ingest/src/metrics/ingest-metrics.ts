import type { Counter, Gauge, Histogram } from 'prom-client';
import type { MetricsRegistry } from '@vigil/platform';

/** Everything ingest reports on /metrics, created once per process. */
export interface IngestMetrics {
  edgeRequests: Counter<'format' | 'status'>;
  samplesReceived: Counter<'source'>;
  samplesRejected: Counter<'reason'>;
  samplesWritten: Counter<never>;
  samplesDuplicate: Counter<never>;
  deadLettered: Counter<'reason'>;
  deadLetterFailures: Counter<never>;
  writeFailures: Counter<'kind'>;
  batchMessages: Histogram<never>;
  batchSamples: Histogram<never>;
  batchDuration: Histogram<never>;
  freshness: Histogram<never>;
  consumerPending: Gauge<never>;
  consumerAckPending: Gauge<never>;
  authFailures: Counter<'reason'>;
  cacheEntries: Gauge<'cache'>;
  cacheMaxEntries: Gauge<'cache'>;
  cacheEvictions: Counter<'cache'>;
}

/** The bounded caches ingest reports on: the writer's series cache and the metric type registry. */
export type CacheName = 'series' | 'metric_types';

export function createIngestMetrics(registry: MetricsRegistry): IngestMetrics {
  return {
    edgeRequests: registry.counter('ingest_edge_requests_total', 'HTTP and NATS write requests, by input format and answered status.', ['format', 'status']),
    samplesReceived: registry.counter('ingest_samples_received_total', 'Samples (and rejected lines) the writer read from the WAL, by input format.', ['source']),
    samplesRejected: registry.counter('ingest_samples_rejected_total', 'Samples or lines rejected, by reason; each is on the DLQ.', ['reason']),
    samplesWritten: registry.counter('ingest_samples_written_total', 'Samples inserted into ClickHouse.'),
    samplesDuplicate: registry.counter('ingest_samples_duplicate_total', 'Samples of redelivered messages the store had already written.'),
    deadLettered: registry.counter('ingest_messages_dead_lettered_total', 'Whole WAL messages moved to the DLQ, by reason.', ['reason']),
    deadLetterFailures: registry.counter('ingest_dead_letter_failures_total', 'Failed attempts to publish rejects to the DLQ.'),
    writeFailures: registry.counter('ingest_write_failures_total', 'Failed batch inserts, by kind (store_down, attributable).', ['kind']),
    batchMessages: registry.histogram('ingest_batch_messages', 'WAL messages per writer batch.', [], [1, 10, 50, 100, 500, 1000, 2000, 5000]),
    batchSamples: registry.histogram('ingest_batch_samples', 'Samples per writer batch.', [], [1, 100, 1000, 10_000, 50_000, 100_000, 500_000]),
    batchDuration: registry.histogram('ingest_batch_duration_seconds', 'Time to decode, write and ack one batch.', [], [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]),
    freshness: registry.histogram(
      'ingest_freshness_seconds',
      'From the message entering JetStream to its samples being confirmed by ClickHouse.',
      [],
      [0.05, 0.1, 0.25, 0.5, 0.75, 1, 2, 5, 10, 30],
    ),
    consumerPending: registry.gauge('ingest_consumer_pending_messages', 'WAL messages not yet delivered to a writer (consumer lag).'),
    consumerAckPending: registry.gauge('ingest_consumer_ack_pending_messages', 'WAL messages delivered but not yet acked.'),
    authFailures: registry.counter('ingest_auth_failures_total', 'HTTP writes refused with 401, by reason (missing, malformed, unknown_token).', ['reason']),
    cacheEntries: registry.gauge('ingest_cache_entries', 'Entries in a bounded cache (series, metric_types).', ['cache']),
    cacheMaxEntries: registry.gauge('ingest_cache_max_entries', 'Configured bound of a cache; past it the least recently used entry is evicted.', ['cache']),
    cacheEvictions: registry.counter('ingest_cache_evictions_total', 'Entries evicted from a bounded cache to stay within its bound.', ['cache']),
  };
}

/** An observer for one bounded cache that keeps its ingest_cache_* series current. */
export function cacheObserver(metrics: IngestMetrics, cache: CacheName, maxEntries: number) {
  const entries = metrics.cacheEntries.labels(cache);
  const evictions = metrics.cacheEvictions.labels(cache);
  metrics.cacheMaxEntries.labels(cache).set(maxEntries);
  evictions.inc(0);
  return {
    evicted: (count: number) => evictions.inc(count),
    resized: (size: number) => entries.set(size),
  };
}
