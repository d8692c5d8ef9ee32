import type { NatsConnection } from '@nats-io/nats-core';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { CLOCK, CONFIG, LOGGER, MetricsRegistry, NATS, REDIS, type Clock, type Logger } from '@vigil/platform';
import { PromQLEngine, defaultFunctionLibrary } from '@vigil/promql';
import { QUERY_STORAGE, type QueryStorage } from '@vigil/query-storage';
import type { Counter } from 'prom-client';
import { ALERT_SINK, type AlertSink } from '../alertmanager/alert';
import type { RulesFilter } from '../api/rules-params';
import { alertsView, rulesView } from '../api/rules-view';
import { AlertmanagerConfigHolder } from '../alertmanager/alertmanager-config.holder';
import type { AlertingConfig } from '../config/alerting-config';
import { ConfigWatch } from '../config/config-watch';
import { loadRuleDir } from '../rules/rule-dir';
import { createRuleTemplateEngine } from '../rules/template-engine';
import { readAndRestoreForState } from './for-state-reader';
import { RedisGroupCoordinator } from './group-coordinator';
import { IngestSampleAppender } from './ingest-appender';
import { RuleScheduler } from './rule-scheduler';

export type ReloadResult = { ok: true; groups: number; rules: number } | { ok: false; errors: string[] };

/**
 * The rules of VIGIL_RULES_DIR, evaluated by the scheduler over the ClickHouse query storage, their output written
 * back through ingest. Loads at start (a bad file was already a config error: exit 78), reloads on POST /-/reload
 * and SIGHUP (a bad file is rejected and the running rules stay).
 */
@Injectable()
export class RuleManager implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly scheduler: RuleScheduler;
  private readonly writeFailures: Counter<string>;
  private readonly reloads: Counter<'result'>;
  private reloading: Promise<ReloadResult> = Promise.resolve({ ok: true, groups: 0, rules: 0 });
  private readonly onHup = () => void this.reload();
  private readonly watch: ConfigWatch;

  constructor(
    @Inject(CONFIG) private readonly config: AlertingConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(CLOCK) clock: Clock,
    @Inject(NATS) nc: NatsConnection,
    @Inject(QUERY_STORAGE) storage: QueryStorage,
    @Inject(REDIS) redis: Redis,
    @Inject(ALERT_SINK) sink: AlertSink,
    metrics: MetricsRegistry,
    private readonly routing: AlertmanagerConfigHolder,
  ) {
    const failures = metrics.counter('alerting_rule_evaluation_failures_total', 'Rule evaluations that failed, by group', ['rule_group']);
    const duration = metrics.histogram('alerting_group_evaluation_seconds', 'Time one evaluation of a rule group took', ['rule_group'], [0.005, 0.02, 0.1, 0.5, 2, 10, 60]);
    const evaluations = metrics.counter('alerting_group_evaluations_total', 'Rule group evaluations', ['rule_group']);
    this.writeFailures = metrics.counter('alerting_sample_write_failures_total', 'Writes of rule output to ingest that failed');
    this.reloads = metrics.counter('alerting_rule_reloads_total', 'Rule reloads by result', ['result']);
    const leader = metrics.gauge('alerting_rule_group_leader', 'Whether this replica holds the rule group lease (1) or not (0)', ['rule_group']);
    const leaseAttempts = metrics.counter('alerting_rule_group_lease_attempts_total', 'Attempts to take or renew a rule group lease, by outcome (held, lost, unavailable: Redis did not answer)', ['outcome']);
    const sent = metrics.counter('alerting_alerts_sent_total', 'Alerts the alert sink accepted, by state', ['state']);
    const sinkFailures = metrics.counter('alerting_alert_sink_failures_total', 'Sends of alerts to the alert sink that failed', ['rule_group']);
    const restoreOptions = { outageTolerance: config.ALERTING_FOR_OUTAGE_TOLERANCE_MS, forGracePeriod: config.ALERTING_FOR_GRACE_PERIOD_MS };
    const holder = randomUUID();
    logger.info({ holder }, 'rule group lease holder id');
    const notWritten = metrics.counter('alerting_rule_samples_not_written_total', 'Rule output samples not written back because ingest refuses them (NaN / ±Inf results)');
    const appender = new IngestSampleAppender(nc, {
      subjectPrefix: config.ALERTING_INGEST_SUBJECT_PREFIX,
      onSkipped: (count) => notWritten.inc(count),
      onFailure: (error) => {
        this.writeFailures.inc();
        logger.warn({ err: error.message }, 'writing rule output to ingest failed');
      },
    });
    this.watch = new ConfigWatch(config.VIGIL_RULES_DIR, config.ALERTING_ALERTMANAGER_CONFIG, () => {
      logger.info({ dir: config.VIGIL_RULES_DIR }, 'rule or routing file changed; reloading');
      void this.reload();
    });
    this.scheduler = new RuleScheduler({
      engine: new PromQLEngine({
        functions: defaultFunctionLibrary,
        lookbackDelta: config.ALERTING_LOOKBACK_DELTA_MS,
        maxSamples: config.ALERTING_MAX_SAMPLES,
        maxSeries: config.ALERTING_MAX_SERIES,
        // Every rule's expression is parsed at every tick (twice: the batch read's dry run and the evaluation).
        parseCacheSize: 20_000,
      }),
      storage,
      appender,
      templates: createRuleTemplateEngine(),
      clock,
      logger,
      externalLabels: config.ALERTING_EXTERNAL_LABELS,
      // generatorURL and $externalURL point at the query service unless told otherwise.
      externalURL: config.ALERTING_EXTERNAL_URL || config.ALERTING_QUERY_URL,
      defaultInterval: config.ALERTING_EVALUATION_INTERVAL_MS,
      // A Redis call slower than this counts as Redis down for the tick (no evaluation without a known lease).
      coordinator: new RedisGroupCoordinator(redis, { prefix: config.ALERTING_REDIS_PREFIX, holder, timeoutMs: 1000 }),
      sink,
      resendDelay: config.ALERTING_RESEND_DELAY_MS,
      outageTolerance: config.ALERTING_FOR_OUTAGE_TOLERANCE_MS,
      restore: (group, state, now) => readAndRestoreForState(storage, logger, group, state, now, restoreOptions),
      leader: (group, outcome) => {
        leader.set({ rule_group: `${group.file};${group.name}` }, outcome === 'held' ? 1 : 0);
        leaseAttempts.inc({ outcome });
      },
      sent: (firing, resolved) => {
        if (firing) sent.inc({ state: 'firing' }, firing);
        if (resolved) sent.inc({ state: 'resolved' }, resolved);
      },
      sinkFailed: (group) => sinkFailures.inc({ rule_group: `${group.file};${group.name}` }),
      observe: (group, seconds, failed) => {
        const rule_group = `${group.file};${group.name}`;
        evaluations.inc({ rule_group });
        duration.observe({ rule_group }, seconds);
        if (failed) failures.inc({ rule_group }, failed);
      },
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    const result = await this.reload();
    // The config check parsed the same files; they may have changed in between.
    if (!result.ok) throw new Error(`invalid rule files:\n${result.errors.join('\n')}`);
    process.on('SIGHUP', this.onHup);
    this.watch.start();
  }

  async onApplicationShutdown(): Promise<void> {
    process.off('SIGHUP', this.onHup);
    this.watch.stop();
    await this.reloading.catch(() => undefined);
    await this.scheduler.stop();
  }

  /** Loads VIGIL_RULES_DIR again; on any error nothing changes and the errors name file and line. One at a time. */
  reload(): Promise<ReloadResult> {
    this.reloading = this.reloading.catch(() => undefined).then(() => this.doReload());
    return this.reloading;
  }

  rules(filter?: RulesFilter) {
    return rulesView(this.scheduler.snapshot(), filter);
  }

  alerts() {
    return alertsView(this.scheduler.snapshot());
  }

  private async doReload(): Promise<ReloadResult> {
    const dir = this.config.VIGIL_RULES_DIR;
    const load = loadRuleDir(dir);
    for (const w of load.warnings) this.logger.warn({ dir }, w);
    // The routing config reloads with the rules, all or nothing: either file bad, both stay as they were.
    const routing = this.routing.check();
    const errors = [...load.errors, ...(routing.ok ? [] : routing.errors)];
    if (errors.length) {
      this.reloads.inc({ result: 'failure' });
      this.logger.error({ dir, errors }, 'rule reload rejected; the previous rules and routing config keep running');
      return { ok: false, errors };
    }
    if (routing.ok) {
      for (const w of routing.warnings) this.logger.warn({ file: this.config.ALERTING_ALERTMANAGER_CONFIG }, w);
      this.routing.apply(routing.config);
    }
    await this.scheduler.replace(load.groups);
    const rules = load.groups.reduce((n, g) => n + g.rules.length, 0);
    this.reloads.inc({ result: 'success' });
    this.logger.info({ dir, groups: load.groups.length, rules }, 'rules loaded');
    return { ok: true, groups: load.groups.length, rules };
  }
}
