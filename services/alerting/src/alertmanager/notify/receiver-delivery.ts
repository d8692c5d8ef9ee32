import type { PageTarget } from '@vigil/contracts';
import type { Notification } from '../notification';
import { alertEvent, type LikelyCause } from './alert-event';
import type { AlertEventPublisher } from './alert-event-publisher';
import type { IncidentDecisionConfig } from './incident-declare';
import type { IncidentNotifier } from './incident-notifier';
import { webhookPayload } from './webhook-payload';
import type { WebhookSender, WebhookTarget } from './webhook-sender';

/** The integrations of one receiver, as delivery needs them (the parsed config's Receiver fits this shape). */
export interface DeliveryReceiver {
  name: string;
  webhookConfigs: readonly (WebhookTarget & { sendResolved: boolean; maxAlerts: number })[];
  incidentConfigs: readonly (IncidentDecisionConfig & { sendResolved: boolean })[];
  vigilNotifyConfigs: readonly { sendResolved: boolean; targets: readonly PageTarget[] }[];
}

export type Integration = 'event' | 'webhook' | 'incident';

export interface DeliveryOutcome {
  /** Every integration succeeded (or had nothing to send). */
  ok: boolean;
  failures: { integration: Integration; error: string }[];
  /** Incidents declared or landed on. */
  incidents: string[];
}

export interface DeliveryDeps {
  events: AlertEventPublisher;
  webhooks: WebhookSender;
  incidents?: IncidentNotifier;
  externalURL: string;
  /** Counts one integration's attempt (metrics). */
  observe(integration: Integration, result: 'sent' | 'skipped' | 'failed'): void;
}

/**
 * Delivers one flushed notification to every integration of its receiver: the alerts.v1 event (always, so notify
 * and the console see every notification; page targets from vigil_notify_configs), each webhook, each incident
 * config. With a likely upstream cause (dependency-aware inhibition) the event carries it and no page targets, and the
 * alerts are linked to the upstream group's incident. Integrations run independently: one failing does not stop the others, and the outcome says which failed
 * so the dispatcher can retry that notification at the next group_interval.
 */
export async function deliver(
  n: Notification & { id: string },
  receiver: DeliveryReceiver,
  deps: DeliveryDeps,
  likelyCause?: LikelyCause,
): Promise<DeliveryOutcome> {
  const failures: DeliveryOutcome['failures'] = [];
  const incidents: string[] = [];
  const run = async (integration: Integration, work: () => Promise<'sent' | 'skipped'>) => {
    try {
      deps.observe(integration, await work());
    } catch (error) {
      deps.observe(integration, 'failed');
      failures.push({ integration, error: (error as Error).message });
    }
  };

  const wantsResolved = [...receiver.webhookConfigs, ...receiver.incidentConfigs, ...receiver.vigilNotifyConfigs].some((c) => c.sendResolved);
  // A group likely caused upstream pages nobody on its own: the upstream alert's group does.
  const targets = likelyCause ? [] : receiver.vigilNotifyConfigs.flatMap((c) => c.targets);
  const tasks: Promise<void>[] = [
    run('event', async () => {
      const event = alertEvent(n, { sendResolved: wantsResolved, targets, externalURL: deps.externalURL, likelyCause });
      if (!event) return 'skipped';
      await deps.events.publish(event);
      return 'sent';
    }),
    ...receiver.webhookConfigs.map((config) =>
      run('webhook', async () => {
        const body = webhookPayload(n, config, deps.externalURL);
        if (!body) return 'skipped';
        await deps.webhooks.send(config, body);
        return 'sent';
      }),
    ),
    ...receiver.incidentConfigs.map((config) =>
      run('incident', async () => {
        if (!deps.incidents) throw new Error('the incident receiver needs ALERTING_INCIDENT_API_KEY_FILE (the key alerting uses to declare)');
        // Likely caused upstream: land on the upstream group's incident (declaring it if that group has not flushed yet).
        const result = await deps.incidents.notify(likelyCause ? { ...n, groupKey: likelyCause.groupKey } : n, config);
        if (result.incidentId) incidents.push(result.incidentId);
        return result.action === 'none' ? 'skipped' : 'sent';
      }),
    ),
  ];
  await Promise.all(tasks);
  return { ok: failures.length === 0, failures, incidents };
}
