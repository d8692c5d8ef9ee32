import { jetstreamManager } from '@nats-io/jetstream';
import type { Msg, NatsConnection, Subscription } from '@nats-io/nats-core';
import type { StoredSeries } from '@vigil/promql';
import { Headers, Subjects } from '@vigil/contracts';
import { DEFAULT_MAX_FUTURE_MS, DEFAULT_MAX_PAST_MS, MetricTypeRegistry, SampleDecoder, isPrecision, type InputFormat } from '@vigil/metrics-input';
import { isNotFound, type Logger } from '@vigil/platform';
import type { HeadCoverage } from './head-query-storage';
import type { RecentSamplesHead } from './recent-samples-head';

export interface MetricsSubjectFeedOptions {
  /** Ingest's INGEST_SUBJECT_PREFIX: the feed listens on `<prefix>metrics.in.>`. */
  subjectPrefix: string;
  clock?: () => number;
  /** Fills the head with the window before the subscription began, from the store (see `backfill`). */
  backfill?: Backfill;
}

export interface Backfill {
  /** Ingest's WAL stream (INGEST_STREAM): the store has a message once the writer removed it from there. */
  stream: string;
  /** How far back (ms). */
  windowMs: number;
  /** The store's series with their samples in [start, end]. */
  read(start: number, end: number): Promise<StoredSeries[]>;
  /** How long to wait for the writer to store what was published before the subscription (ms). */
  waitMs?: number;
}

/** Allowance for messages in flight when the subscription began (published before, delivered after). */
const START_MARGIN_MS = 1_000;

/**
 * Feeds the head with what ingest writes to its WAL, as ingest publishes it: a plain subscription to the METRICS
 * stream's subjects. (METRICS is a work-queue stream, which allows one consumer, the writer, and drops a message
 * once written, so the head cannot read it as a stream.) The head is complete from the moment the subscription was
 * live; a disconnect breaks that, and it is complete again from the reconnect on. Messages are decoded with
 * ingest's own parser and validation (@vigil/metrics-input).
 */
export class MetricsSubjectFeed implements HeadCoverage {
  private readonly clock: () => number;
  private readonly decoder = new SampleDecoder({ maxPastMs: DEFAULT_MAX_PAST_MS, maxFutureMs: DEFAULT_MAX_FUTURE_MS }, new MetricTypeRegistry());
  private readonly formats: Map<string, InputFormat>;
  /** Since when every message published reached the head (Infinity: not complete now). */
  private completeSince = Infinity;
  private subscription: Subscription | undefined;
  private trimTimer: NodeJS.Timeout | undefined;
  messagesRead = 0;
  /** Messages that did not decode (skipped here: the writer dead-letters them). */
  undecodable = 0;
  /** Times the head stopped being complete (disconnects). */
  gaps = 0;

  constructor(
    private readonly nc: NatsConnection,
    private readonly head: RecentSamplesHead,
    private readonly options: MetricsSubjectFeedOptions,
    private readonly logger: Logger,
  ) {
    this.clock = options.clock ?? Date.now;
    const p = options.subjectPrefix;
    this.formats = new Map<string, InputFormat>([
      [p + Subjects.metricsInJson, 'json'],
      [p + Subjects.metricsInInflux, 'influx'],
      [p + Subjects.metricsInRemoteWrite, 'prw'],
    ]);
  }

  coveredFrom(): number {
    return Math.max(this.completeSince + START_MARGIN_MS, this.head.horizon);
  }

  async start(): Promise<void> {
    const subject = `${this.options.subjectPrefix}${Subjects.metricsInAll}`;
    this.subscription = this.nc.subscribe(subject, { callback: (error, message) => (error ? undefined : this.take(message)) });
    void this.watchStatus();
    // Live once the server has the subscription: from then on nothing published passes it by.
    await this.nc.flush();
    const live = this.clock();
    this.completeSince = live;
    this.trimTimer = setInterval(() => this.head.trim(this.clock()), 1_000);
    this.trimTimer.unref();
    this.logger.info({ subject }, 'head of recent samples fed from the WAL subjects');
    if (this.options.backfill) this.backfilling = this.fill(this.options.backfill, live);
  }

  /** Resolves when the backfill is over (done, or given up). */
  backfilled(): Promise<void> {
    return this.backfilling;
  }

  private backfilling: Promise<void> = Promise.resolve();

  /**
   * The window before the subscription, from the store: first wait until the writer has removed from the WAL (a
   * work-queue stream) every message published before the subscription was live, i.e. stored them; then read the
   * window. Samples seen both ways are the same sample (the head keeps one per series and time). Given up (the head
   * then covers from the subscription on) when the writer does not catch up in time or the read fails.
   */
  private async fill(backfill: Backfill, live: number): Promise<void> {
    const started = this.clock();
    try {
      const jsm = await jetstreamManager(this.nc);
      // No stream yet (alerting started before ingest ever ran): no WAL message is waiting to be stored.
      const before = await jsm.streams.info(backfill.stream).then((info) => info.state.last_seq, (error: unknown) => (isNotFound(error) ? undefined : Promise.reject(error)));
      const deadline = started + (backfill.waitMs ?? 30_000);
      for (; before !== undefined; ) {
        const state = (await jsm.streams.info(backfill.stream)).state;
        if (state.messages === 0 || state.first_seq > before) break;
        if (this.clock() > deadline) throw new Error(`the writer did not store the WAL up to message ${before} within ${backfill.waitMs ?? 30_000} ms (first unstored ${state.first_seq})`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const start = live - backfill.windowMs;
      const series = await backfill.read(start, live + START_MARGIN_MS);
      let samples = 0;
      for (const s of series) {
        this.head.addSeries(s.labels, s.t, s.v);
        samples += s.t.length;
      }
      // Still complete since `live` (no disconnect meanwhile): complete since the window's start now.
      if (this.completeSince === live) this.completeSince = start - START_MARGIN_MS;
      this.logger.info({ series: series.length, samples, ms: this.clock() - started }, 'head backfilled from the store');
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'backfilling the head from the store failed: it covers from its start on');
    }
  }

  async stop(): Promise<void> {
    if (this.trimTimer) clearInterval(this.trimTimer);
    this.completeSince = Infinity;
    this.subscription?.unsubscribe();
    this.subscription = undefined;
  }

  private async watchStatus(): Promise<void> {
    for await (const status of this.nc.status()) {
      if (!this.subscription) return;
      if (status.type === 'disconnect') {
        this.completeSince = Infinity;
        this.gaps++;
        this.logger.warn('NATS disconnected: the head misses what is published meanwhile; ClickHouse answers until it is complete again');
      } else if (status.type === 'reconnect') {
        // The client resubscribes on reconnect; complete from here on.
        void this.nc.flush().then(() => {
          this.completeSince = this.clock();
        });
      }
    }
  }

  private take(message: Msg): void {
    this.messagesRead++;
    const format = this.formats.get(message.subject);
    const precision = message.headers?.get(Headers.influxPrecision) || undefined;
    if (!format || (precision !== undefined && !isPrecision(precision))) {
      this.undecodable++;
      return;
    }
    const receivedAt = Number(message.headers?.get(Headers.receivedAt)) || this.clock();
    try {
      const { valid } = this.decoder.decode({ format, body: Buffer.from(message.data.buffer, message.data.byteOffset, message.data.byteLength), precision, receivedAt, now: receivedAt });
      this.head.add(valid);
    } catch {
      this.undecodable++;
    }
  }
}
