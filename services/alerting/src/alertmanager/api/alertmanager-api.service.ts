import { hostname } from 'node:os';
import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, CONFIG, MetricsRegistry, type Clock } from '@vigil/platform';
import type { Counter } from 'prom-client';
import { version } from '../../../package.json';
import type { Alert } from '../alert';
import { ingestPosted, validateAlert } from '../alert-store/alert-merge';
import { RedisAlertStore } from '../alert-store/redis-alert-store';
import { fingerprint } from '../labels';
import { matchesAll } from '../matchers';
import { RedisSilenceStore } from '../silences/redis-silence-store';
import { checkPostedTimes, compareSilences, silenceMatchesFilter, SilenceError } from '../silences/silence';
import type { AlertingConfig } from '../../config/alerting-config';
import { AlertmanagerApiError } from './alertmanager-api-error';
import {
  compareGroupAlerts,
  compareGroups,
  parseFilter,
  parseReceiverFilter,
  statusPasses,
  toGettableAlert,
  toGettableSilence,
  type AlertFilterParams,
  type GettableAlert,
  type GettableAlertGroup,
  type GettableSilence,
} from './alertmanager-api.format';
import { formatDateTime, parseBody, PostableAlertsSchema, PostableSilenceSchema, toPostedAlert, toSilenceInput } from './alertmanager-api.schemas';
import { ALERTMANAGER_VIEW, type AlertmanagerView } from './alertmanager-view';

export interface AlertQuery extends AlertFilterParams {
  readonly filter: readonly string[];
  readonly receiver?: string;
}

function silenceFailure(e: unknown): never {
  if (e instanceof SilenceError) throw AlertmanagerApiError.text(e.kind === 'not_found' ? 404 : 400, e.message);
  throw e;
}

/**
 * Alertmanager's API v2 handlers (api/v2/api.go) over the shared alert and silence stores; routing, inhibition and
 * the config come from the AlertmanagerView. Every read refreshes the silence snapshot first, so an answer never
 * misses a silence another replica just set.
 */
@Injectable()
export class AlertmanagerApiService {
  private readonly startedAt: number;
  private readonly invalid: Counter<string>;
  private readonly received: Counter<'status'>;

  constructor(
    private readonly alerts: RedisAlertStore,
    private readonly silences: RedisSilenceStore,
    @Inject(ALERTMANAGER_VIEW) private readonly view: AlertmanagerView,
    @Inject(CONFIG) private readonly config: AlertingConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    metrics: MetricsRegistry,
  ) {
    this.startedAt = clock();
    this.invalid = metrics.counter('alerting_api_alerts_invalid_total', 'Alerts posted to /api/v2/alerts that were refused as invalid.');
    this.received = metrics.counter('alerting_api_alerts_received_total', 'Alerts posted to /api/v2/alerts, by firing or resolved.', ['status']);
  }

  /**
   * Stores every valid alert of the batch and then refuses the batch with every invalid alert's reason, joined by
   * "; " — Alertmanager's "best effort" (a bad alert never strands its good neighbours; the sender sees a 400).
   * A body the spec rejects (not an array, a field of the wrong type, no labels) stores nothing.
   */
  async postAlerts(body: unknown): Promise<void> {
    const posted = parseBody(PostableAlertsSchema, body, 'alerts');
    const now = this.clock();
    const valid: Alert[] = [];
    const problems: string[] = [];
    for (const p of posted) {
      const alert = ingestPosted(toPostedAlert(p), now, this.config.ALERTING_RESOLVE_TIMEOUT_MS);
      this.received.inc({ status: alert.endsAt > now ? 'firing' : 'resolved' });
      const problem = validateAlert(alert);
      if (problem) {
        problems.push(problem);
        this.invalid.inc();
        continue;
      }
      valid.push({ ...alert, fingerprint: fingerprint(alert.labels) });
    }
    await this.alerts.put(valid, now);
    if (problems.length > 0) throw AlertmanagerApiError.text(400, problems.join('; '));
  }

  async getAlerts(q: AlertQuery): Promise<GettableAlert[]> {
    const matchers = parseFilter(q.filter);
    const receiver = parseReceiverFilter(q.receiver);
    const [all] = await Promise.all([this.alerts.list(), this.silences.refresh()]);
    const now = this.clock();
    const out: GettableAlert[] = [];
    for (const a of all) {
      if (a.endsAt <= now) continue;
      const receivers = this.view.receivers(a.labels);
      if (receiver && !receivers.some((r) => receiver.matches(r))) continue;
      if (!matchesAll(matchers, a.labels)) continue;
      const status = this.view.status(a, all, now);
      if (!statusPasses(status, q)) continue;
      out.push(toGettableAlert(a, status, receivers));
    }
    return out.sort((x, y) => (x.fingerprint < y.fingerprint ? -1 : x.fingerprint > y.fingerprint ? 1 : 0));
  }

  async getAlertGroups(q: AlertQuery): Promise<GettableAlertGroup[]> {
    const matchers = parseFilter(q.filter);
    const receiver = parseReceiverFilter(q.receiver);
    const [all] = await Promise.all([this.alerts.list(), this.silences.refresh()]);
    const now = this.clock();
    const groups = this.view.groups(all, now).filter((g) => !receiver || receiver.matches(g.receiver));
    // An alert's receivers are those of the groups it is shown in (dispatch.Groups).
    const receiversOf = new Map<string, string[]>();
    const kept = groups.map((g) => {
      const alerts = g.alerts
        .filter((a) => a.endsAt > now && matchesAll(matchers, a.labels))
        .map((a) => ({ alert: a, status: this.view.status(a, all, now) }))
        .filter((x) => statusPasses(x.status, q));
      for (const { alert } of alerts) receiversOf.set(alert.fingerprint, [...(receiversOf.get(alert.fingerprint) ?? []), g.receiver]);
      return { group: g, alerts };
    });
    return kept
      .filter((k) => k.alerts.length > 0)
      .map((k) => ({
        labels: k.group.labels,
        receiver: { name: k.group.receiver },
        alerts: k.alerts
          .sort((x, y) => compareGroupAlerts(x.alert, y.alert))
          .map((x) => toGettableAlert(x.alert, x.status, [...(receiversOf.get(x.alert.fingerprint) ?? [])].sort())),
      }))
      .sort(compareGroups);
  }

  async getSilences(filter: readonly string[]): Promise<GettableSilence[]> {
    const matchers = parseFilter(filter);
    const all = await this.silences.list();
    const now = this.clock();
    return all
      .filter((s) => silenceMatchesFilter(s, matchers))
      .sort((a, b) => compareSilences(a, b, now))
      .map((s) => toGettableSilence(s, now));
  }

  async getSilence(id: string): Promise<GettableSilence> {
    const s = await this.silences.get(id);
    // Alertmanager's 404 here has no body.
    if (!s) throw new AlertmanagerApiError(404, undefined);
    return toGettableSilence(s, this.clock());
  }

  async postSilence(body: unknown): Promise<{ silenceID: string }> {
    const input = toSilenceInput(parseBody(PostableSilenceSchema, body, 'silence'));
    try {
      checkPostedTimes(input, this.clock());
      return { silenceID: await this.silences.set(input) };
    } catch (e) {
      return silenceFailure(e);
    }
  }

  async deleteSilence(id: string): Promise<void> {
    try {
      await this.silences.expire(id);
    } catch (e) {
      if (e instanceof SilenceError && e.kind === 'not_found') throw new AlertmanagerApiError(404, undefined);
      silenceFailure(e);
    }
  }

  status() {
    return {
      cluster: { name: hostname(), status: 'disabled' as const, peers: [] },
      versionInfo: {
        version,
        revision: 'unknown',
        branch: 'unknown',
        buildUser: 'vigil',
        buildDate: 'unknown',
        // Vigil is not Go; the field is required, so it names the runtime.
        goVersion: `node ${process.version}`,
      },
      config: { original: this.view.configOriginal() },
      uptime: formatDateTime(this.startedAt),
    };
  }

  receivers(): { name: string }[] {
    return this.view.receiverNames().map((name) => ({ name }));
  }
}
