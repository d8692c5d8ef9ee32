import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import type { DeadLetter } from '@vigil/contracts';
import { createClickHouse, createLogger, loadConfig, type ClickHouseClient } from '@vigil/platform';
import { infraEnv, uniqueName, waitFor } from '@vigil/testing';
import { IngestConfigSchema, type IngestConfig } from '../../src/config/ingest-config';
import { startIngest, type IngestHandle } from '../../src/ingest.app';
import { ingestSubjects, type IngestSubjects } from '../../src/wal/ingest-subjects';

/** Names that isolate one test file from every other test and from a dev instance. */
export function isolatedEnv(extra: Record<string, string> = {}): Record<string, string> {
  const id = uniqueName('t');
  return {
    NATS_URL: infraEnv.natsUrl,
    CLICKHOUSE_URL: infraEnv.clickhouseUrl,
    CLICKHOUSE_DB: `ingest_${id}`,
    INGEST_STREAM: `METRICS_${id}`,
    INGEST_DLQ_STREAM: `METRICS_DLQ_${id}`,
    INGEST_CONSUMER: `writer_${id}`,
    INGEST_SUBJECT_PREFIX: `${id}.`,
    INGEST_PORT: '0',
    LOG_LEVEL: process.env.INGEST_TEST_LOG_LEVEL ?? 'silent',
    ...extra,
  };
}

/** Test-side clients on the same infrastructure: publish, read the DLQ, count rows, clean up. */
export class IngestProbe {
  private constructor(
    readonly env: Record<string, string>,
    readonly config: IngestConfig,
    readonly subjects: IngestSubjects,
    readonly nc: NatsConnection,
    readonly js: JetStreamClient,
    readonly jsm: JetStreamManager,
    readonly clickhouse: ClickHouseClient,
  ) {}

  static async create(env: Record<string, string>): Promise<IngestProbe> {
    const config = loadConfig(IngestConfigSchema, env);
    const { hostname, port } = new URL(config.NATS_URL);
    const nc = await connect({ servers: `${hostname}:${port || 4222}` });
    const clickhouse = createClickHouse({ url: config.CLICKHOUSE_URL, database: config.CLICKHOUSE_DB });
    return new IngestProbe(env, config, ingestSubjects(config.INGEST_SUBJECT_PREFIX), nc, jetstream(nc), await jetstreamManager(nc), clickhouse);
  }

  get db(): string {
    return this.config.CLICKHOUSE_DB;
  }

  async scalar(sql: string): Promise<number> {
    const result = await this.clickhouse.query({ query: sql, format: 'JSONEachRow' });
    const rows = (await result.json()) as Record<string, unknown>[];
    return Number(Object.values(rows[0] ?? { v: NaN })[0]);
  }

  /** Raw rows of a metric (all series). */
  countSamples(metric: string): Promise<number> {
    return this.scalar(
      `SELECT count() AS c FROM ${this.db}.samples WHERE fingerprint IN (SELECT fingerprint FROM ${this.db}.series WHERE metric_name = '${metric}')`,
    );
  }

  /** Rows minus distinct (series, timestamp): anything above 0 is a sample visible twice. */
  duplicateSamples(): Promise<number> {
    return this.scalar(`SELECT count() - uniqExact(fingerprint, timestamp) AS d FROM ${this.db}.samples`);
  }

  async waitForCount(metric: string, expected: number, timeoutMs = 30_000): Promise<void> {
    await waitFor(() => this.countSamples(metric), (n) => n >= expected, { timeoutMs, what: `${expected} samples of ${metric}` });
  }

  /**
   * Waits until `expected` samples of `metric` are stored *and* the writer acked everything in the WAL.
   * Rows become visible when ClickHouse commits the insert, before the writer has its answer and acks:
   * a test that changes the world next (cuts ClickHouse, kills the writer) must wait for both.
   */
  async waitForWritten(metric: string, expected: number, timeoutMs = 30_000): Promise<void> {
    await this.waitForCount(metric, expected, timeoutMs);
    await this.waitForDrained(timeoutMs);
  }

  /** Waits until the writer acked everything in the WAL. */
  async waitForDrained(timeoutMs = 60_000): Promise<void> {
    await waitFor(
      async () => {
        const info = await this.jsm.consumers.info(this.config.INGEST_STREAM, this.config.INGEST_CONSUMER);
        return info.num_pending + info.num_ack_pending;
      },
      (n) => n === 0,
      { timeoutMs, what: 'WAL drained' },
    );
  }

  async deadLetters(): Promise<DeadLetter[]> {
    const info = await this.jsm.streams.info(this.config.INGEST_DLQ_STREAM);
    const letters: DeadLetter[] = [];
    for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
      const message = await this.jsm.streams.getMessage(this.config.INGEST_DLQ_STREAM, { seq });
      if (message) letters.push(message.json<DeadLetter>());
    }
    return letters;
  }

  async waitForDeadLetters(count: number): Promise<DeadLetter[]> {
    return waitFor(() => this.deadLetters(), (l) => l.length >= count, { what: `${count} dead letters` });
  }

  /** Deletes this test's streams and database. */
  async cleanup(): Promise<void> {
    for (const stream of [this.config.INGEST_STREAM, this.config.INGEST_DLQ_STREAM]) {
      await this.jsm.streams.delete(stream).catch(() => undefined);
    }
    await this.clickhouse.command({ query: `DROP DATABASE IF EXISTS ${this.db}` }).catch(() => undefined);
    await this.clickhouse.close();
    await this.nc.close();
  }
}

/**
 * An ingest running in this process on a free port, plus its probe. `ingestOnly` applies to the
 * service but not to the probe (e.g. a CLICKHOUSE_URL through a proxy the test cuts).
 */
export async function startInProcess(extra: Record<string, string> = {}, ingestOnly: Record<string, string> = {}) {
  const env = isolatedEnv(extra);
  const probe = await IngestProbe.create(env);
  const config = loadConfig(IngestConfigSchema, { ...env, ...ingestOnly });
  const handle: IngestHandle = await startIngest(config, createLogger('ingest-test', config.LOG_LEVEL));
  await handle.writerStarted;
  return { probe, handle, url: `http://127.0.0.1:${handle.port}` };
}
