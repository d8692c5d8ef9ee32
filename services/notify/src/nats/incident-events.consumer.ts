import type { NatsConnection } from '@nats-io/nats-core';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { parseIncidentEvent, type StoredIncidentEvent } from '@vigil/contracts';
import { JetStreamEventStore, type Commit, type Subscription } from '@vigil/eventstore';
import { CONFIG, LOGGER, MetricsRegistry, NATS, type Logger } from '@vigil/platform';
import type { NotifyConfig } from '../config/notify-config';
import { DeliveryRunner } from '../delivery/delivery-runner';
import type { Directory } from '../directory/directory';
import { incidentView } from '../incidents/incident-view';
import { planResponderNews } from '../incidents/responder-plan';
import { planSitrep } from '../incidents/sitrep-plan';
import { planCustomerUpdate } from '../subscribers/customer-plan';
import { SubscriberStore } from '../subscribers/subscriber-store';
import { DIRECTORY } from '../notify.tokens';

/** Incident events that tell a responder something (see planResponderNews). */
const RESPONDER_NEWS = new Set(['IncidentDeclared', 'CommandTransferred', 'RoleAssigned', 'SitrepReminderIssued']);

/**
 * Incident events (the INCIDENTS event store) to their audiences: news to the responders it concerns, every `SitrepPublished` to the incident's
 * stakeholders (severity and components from the incident's own events), every `CustomerUpdatePosted` to the
 * status-page subscribers (sitreps and notes never reach customers). One durable consumer shared by all
 * instances, in order; a commit whose deliveries are not all final yet is redelivered (the ledger skips what went
 * out). The consumer is made at notify's first start from the head of the store: history is not sent.
 */
@Injectable()
export class IncidentEventsConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private subscription: Subscription | undefined;
  private readonly invalid;

  constructor(
    @Inject(CONFIG) private readonly config: NotifyConfig,
    @Inject(NATS) private readonly nc: NatsConnection,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(DIRECTORY) private readonly directory: Directory,
    private readonly runner: DeliveryRunner,
    private readonly subscribers: SubscriberStore,
    metrics: MetricsRegistry,
  ) {
    this.invalid = metrics.counter('notify_invalid_events_total', 'Events that did not parse (terminated)', ['reason']);
  }

  async onApplicationBootstrap(): Promise<void> {
    const store = await JetStreamEventStore.open(this.nc, { stream: this.config.NOTIFY_INCIDENT_STREAM, subjectPrefix: this.config.NOTIFY_INCIDENT_SUBJECT_PREFIX });
    const from = (await store.headSequence()) + 1;
    this.subscription = await store.subscribe({ durableName: this.config.NOTIFY_INCIDENT_CONSUMER, fromSequence: from }, (commit) => this.take(store, commit));
    this.logger.info({ stream: this.config.NOTIFY_INCIDENT_STREAM, consumer: this.config.NOTIFY_INCIDENT_CONSUMER }, 'consuming incident events');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.subscription?.stop();
  }

  private async take(store: JetStreamEventStore, commit: Commit): Promise<void> {
    const events: StoredIncidentEvent[] = [];
    for (const raw of commit.events) {
      try {
        events.push(parseIncidentEvent(raw));
      } catch (error) {
        this.invalid.inc({ reason: 'incident_event' });
        this.logger.error({ seq: commit.sequence, err: (error as Error).message }, 'incident event does not parse: skipped');
      }
    }
    const sitreps = events.filter((e): e is Extract<StoredIncidentEvent, { type: 'SitrepPublished' }> => e.type === 'SitrepPublished');
    const updates = events.filter((e): e is Extract<StoredIncidentEvent, { type: 'CustomerUpdatePosted' }> => e.type === 'CustomerUpdatePosted');
    const news = events.filter((e) => RESPONDER_NEWS.has(e.type));
    if (sitreps.length === 0 && updates.length === 0 && news.length === 0) return;
    const history = (await store.read(commit.streamId)).commits.flatMap((c) => c.events.map((raw) => parseIncidentEvent(raw)));
    const incident = incidentView(history);
    if (!incident) return;
    const url = `${this.config.NOTIFY_INCIDENT_URL.replace(/\/+$/, '')}/api/v1/incidents/${incident.id}`;
    let pending = 0;
    if (news.length > 0) pending += (await this.runner.run(planResponderNews(incident, news, this.directory, url))).pending;
    for (const sitrep of sitreps) pending += (await this.runner.run(planSitrep(incident, sitrep, this.directory, url))).pending;
    if (updates.length > 0) {
      const [subscribers, optedOut] = await Promise.all([this.subscribers.all(), this.subscribers.optedOut()]);
      const firstId = history.find((e) => e.type === 'CustomerUpdatePosted')?.id;
      for (const update of updates) {
        const planned = planCustomerUpdate(incident, update, { firstUpdate: update.id === firstId, subscribers, optedOut, serviceName: this.config.NOTIFY_SERVICE_NAME, statusUrl: this.config.NOTIFY_STATUS_PAGE_URL });
        pending += (await this.runner.run(planned)).pending;
      }
    }
    // Redelivered (in order) until every stakeholder's delivery is final.
    if (pending > 0) throw new Error(`${pending} sitrep deliveries of incident ${incident.id} not final yet`);
  }
}
