import type { NatsConnection } from '@nats-io/nats-core';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { CONFIG, LOGGER, MetricsRegistry, NATS, type Logger } from '@vigil/platform';
import { Gauge } from 'prom-client';
import { METRIC_NAME, type StoredSeries } from '@vigil/promql';
import type { QueryStorage } from '@vigil/query-storage';
import type { AlertingConfig } from '../config/alerting-config';
import { HeadQueryStorage } from './head-query-storage';
import { MetricsSubjectFeed } from './metrics-subject-feed';
import { RecentSamplesHead } from './recent-samples-head';

/**
 * The head and its feed as one service part: started with the app, stopped with it, measured on /metrics (how much
 * it holds, how far back it answers, and how many selections it answered versus ClickHouse).
 */
@Injectable()
export class RecentSamplesHeadService implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly enabled: boolean;
  private readonly head: RecentSamplesHead;
  private readonly feed: MetricsSubjectFeed;
  private readonly reads;

  constructor(@Inject(CONFIG) config: AlertingConfig, @Inject(NATS) nc: NatsConnection, @Inject(LOGGER) logger: Logger, metrics: MetricsRegistry) {
    this.enabled = config.ALERTING_HEAD_WINDOW_MS > 0;
    this.head = new RecentSamplesHead({ windowMs: config.ALERTING_HEAD_WINDOW_MS, maxSamples: config.ALERTING_HEAD_MAX_SAMPLES });
    this.feed = new MetricsSubjectFeed(
      nc,
      this.head,
      {
        subjectPrefix: config.ALERTING_INGEST_SUBJECT_PREFIX,
        backfill: { stream: config.ALERTING_METRICS_STREAM, windowMs: config.ALERTING_HEAD_WINDOW_MS, read: (start, end) => this.readStore(start, end) },
      },
      logger,
    );
    this.reads = metrics.counter('alerting_head_selections_total', 'Selections of rule evaluations, by who answered them: the in-memory head alone, or ClickHouse (with the head newer samples laid over)', ['source']);
    const { head, feed } = this;
    gauge(metrics, 'alerting_head_series', 'Series in the in-memory head', function () {
      this.set(head.series);
    });
    gauge(metrics, 'alerting_head_samples', 'Samples in the in-memory head', function () {
      this.set(head.samples);
    });
    gauge(metrics, 'alerting_head_gaps', 'Times the head stopped being complete since start (NATS disconnects); it is complete again from the reconnect on', function () {
      this.set(feed.gaps);
    });
    gauge(metrics, 'alerting_head_undecodable_messages', 'WAL messages the head could not decode since start (the writer dead-letters them)', function () {
      this.set(feed.undecodable);
    });
    gauge(metrics, 'alerting_head_covered_seconds', 'How far back from now the head answers alone (0: it does not answer)', function () {
      const from = feed.coveredFrom();
      this.set(Number.isFinite(from) ? Math.max(0, Date.now() - from) / 1000 : 0);
    });
  }

  /** `store` with the head in front, or `store` itself when the head is off. */
  wrap(store: QueryStorage): QueryStorage {
    this.store = store;
    if (!this.enabled) return store;
    return new HeadQueryStorage(store, this.head, this.feed, (by) => this.reads.inc({ source: by }));
  }

  private store: QueryStorage | undefined;

  /** Every series' raw samples in [start, end] from the store (the backfill). */
  private async readStore(start: number, end: number): Promise<StoredSeries[]> {
    if (!this.store) return [];
    const planned = this.store.plan({ start, end, step: 0, resolution: 'raw' });
    return planned.source.select({ start, end, step: 0, range: 0, func: null, grouping: [], by: false }, [{ name: METRIC_NAME, type: '=~', value: '.+' }]);
  }

  /** Resolves when the head's backfill is over (tests, benchmarks). */
  backfilled(): Promise<void> {
    return this.feed.backfilled();
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.enabled) await this.feed.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.feed.stop();
  }
}

/** A gauge read when /metrics is scraped. */
function gauge(metrics: MetricsRegistry, name: string, help: string, collect: (this: Gauge) => void): void {
  if (!metrics.registry.getSingleMetric(name)) new Gauge({ name, help, registers: [metrics.registry], collect });
}
