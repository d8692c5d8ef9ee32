import { readFileSync } from 'node:fs';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { CLOCK, CONFIG, JETSTREAM, JETSTREAM_MANAGER, LOGGER, MetricsRegistry, NATS, REDIS, RedisLease, type Clock, type Logger, type Redis } from '@vigil/platform';
import type { AlertingConfig } from '../../config/alerting-config';
import { RedisAlertStore } from '../alert-store/redis-alert-store';
import { AlertmanagerConfigHolder } from '../alertmanager-config.holder';
import { DependencyGraphClient } from '../dependencies/dependency-graph-client';
import { AlertEventPublisher, alertSubjects, ensureAlertsStream } from '../notify/alert-event-publisher';
import { IncidentNotifier } from '../notify/incident-notifier';
import { deliver } from '../notify/receiver-delivery';
import { WebhookSender } from '../notify/webhook-sender';
import { RedisSilenceStore } from '../silences/redis-silence-store';
import { DispatcherLoop } from './dispatcher-loop';
import { DispatcherStateStore } from './dispatcher-state-store';
import { deliveryReceiver } from './receiver-adapter';

/** The key alerting authenticates with at incident (a file holding the key alone, like a mounted secret). */
function readApiKey(path: string | undefined): string | undefined {
  if (!path) return undefined;
  const key = readFileSync(path, 'utf8').trim();
  if (!key) throw new Error(`ALERTING_INCIDENT_API_KEY_FILE ${path} is empty`);
  return key;
}

/**
 * The notification side of alerting on one replica at a time (a Redis lease): routes, groups and flushes the
 * alerts of the shared store, and delivers to receivers (alerts.v1 events, webhooks, incidents).
 */
@Injectable()
export class DispatcherService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly loop: DispatcherLoop;
  private readonly abort = new AbortController();
  private readonly stream: string;
  private readonly subjects: ReturnType<typeof alertSubjects>;

  constructor(
    @Inject(CONFIG) private readonly config: AlertingConfig,
    @Inject(LOGGER) logger: Logger,
    @Inject(CLOCK) clock: Clock,
    @Inject(NATS) nc: NatsConnection,
    @Inject(JETSTREAM) js: JetStreamClient,
    @Inject(JETSTREAM_MANAGER) private readonly jsm: JetStreamManager,
    @Inject(REDIS) redis: Redis,
    holder: AlertmanagerConfigHolder,
    alerts: RedisAlertStore,
    silences: RedisSilenceStore,
    metrics: MetricsRegistry,
    graph: DependencyGraphClient,
  ) {
    const prefix = config.ALERTING_REDIS_PREFIX;
    this.stream = config.ALERTING_ALERTS_STREAM;
    this.subjects = alertSubjects(config.ALERTING_SUBJECT_PREFIX);
    const notifications = metrics.counter('alerting_notifications_total', 'Integration deliveries of flushed alert groups, by result', ['integration', 'result']);
    const ticks = metrics.counter('alerting_dispatcher_ticks_total', 'Dispatcher ticks, by whether this replica held the dispatcher lease', ['leader']);
    const leader = metrics.gauge('alerting_dispatcher_leader', '1 while this replica holds the dispatcher lease');
    const failedSends = metrics.counter('alerting_notifications_failed_total', 'Notifications with a failed integration (retried at the next group_interval)');
    const apiKey = readApiKey(config.ALERTING_INCIDENT_API_KEY_FILE);
    const deps = {
      events: new AlertEventPublisher(js, this.stream, this.subjects),
      webhooks: new WebhookSender({ attempts: 3, baseDelayMs: 500, signal: this.abort.signal, userAgent: 'Vigil-Alerting/0.1' }),
      incidents: apiKey
        ? new IncidentNotifier(nc, redis, { commandPrefix: config.ALERTING_INCIDENT_SUBJECT_PREFIX, apiKey, redisPrefix: prefix, timeoutMs: 10_000 })
        : undefined,
      externalURL: config.ALERTING_EXTERNAL_URL || config.ALERTING_QUERY_URL,
      observe: (integration: string, result: string) => notifications.inc({ integration, result }),
    };
    this.loop = new DispatcherLoop({
      config: () => holder.current(),
      alerts,
      silences: { refresh: () => silences.refresh(), silencedBy: (labels, now) => silences.silencedBy(labels, now) },
      dependencies: graph,
      state: new DispatcherStateStore(redis, `${prefix}dispatcher:state`),
      lease: new RedisLease(redis, `${prefix}dispatcher:lease`, Math.max(5_000, 5 * config.ALERTING_DISPATCH_TICK_MS)),
      deliver: (n, receiver, cause) => deliver(n, deliveryReceiver(receiver), deps, cause),
      clock,
      logger,
      tickMs: config.ALERTING_DISPATCH_TICK_MS,
      observe: (tick) => {
        ticks.inc({ leader: String(tick.leader) });
        leader.set(tick.leader ? 1 : 0);
        if (tick.failed) failedSends.inc(tick.failed);
      },
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await ensureAlertsStream(this.jsm, this.stream, this.subjects);
    this.loop.start();
  }

  async onApplicationShutdown(): Promise<void> {
    this.abort.abort();
    await this.loop.stop();
  }

  isLeader(): boolean {
    return this.loop.isLeader();
  }
}
