/**
 * Every NATS subject and JetStream stream Vigil uses, in one place (see ARCHITECTURE.md).
 * Versioned subjects (`*.v1.*`) change only by adding a new version beside the old one.
 */
export const Subjects = {
  /** JSON sample batches from producers (see metrics/sample-batch.schema.ts). */
  metricsInJson: 'metrics.in.json',
  /** Influx line protocol, as Telegraf's NATS output sends it. Header `Vigil-Precision`: ns|us|ms|s (default ns). */
  metricsInInflux: 'metrics.in.influx',
  /** Prometheus remote write 1.0 bodies (protobuf + snappy), as received over HTTP. */
  metricsInRemoteWrite: 'metrics.in.prw',
  /** Everything producers may publish to. */
  metricsInAll: 'metrics.in.>',
  /** Rejected input with its reason (see metrics/dead-letter.schema.ts). */
  metricsDlq: 'metrics.dlq',
  /**
   * Request/reply twins of the inputs above for producers that want the HTTP answer
   * (queue group `ingest`; reply: metrics/ingest-reply.schema.ts). Same semantics as the HTTP routes.
   */
  ingestWriteJson: 'ingest.v1.write.json',
  ingestWriteInflux: 'ingest.v1.write.influx',
  ingestWriteRemoteWrite: 'ingest.v1.write.prw',

  /** PromQL for internal callers (request/reply, queue group `query`), same semantics as the HTTP API. */
  queryInstant: 'query.v1.instant',
  queryRange: 'query.v1.range',

  /** Alert groups that started or went on firing / that resolved (stream ALERTS; alerting → incident, notify). */
  alertsFiring: 'alerts.v1.firing',
  alertsResolved: 'alerts.v1.resolved',
  alertsAll: 'alerts.v1.>',
  /** Rule and alert state for the query service's `/api/v1/rules` and `/api/v1/alerts` (request/reply, queue group `alerting`). */
  alertingRules: 'alerting.v1.rules',
  alertingAlerts: 'alerting.v1.alerts',

  /** Commands to incident (request/reply, queue group `incident`): `incident.v1.cmd.<command>`. */
  incidentCommandPrefix: 'incident.v1.cmd',
  incidentCommand: (command: string) => `incident.v1.cmd.${command}`,
  incidentCommandAll: 'incident.v1.cmd.>',
  /** The event store: one subject per incident (stream INCIDENTS). */
  incidentEventsPrefix: 'incident.events',
  incidentEvents: (incidentId: string) => `incident.events.${incidentId}`,
  incidentEventsAll: 'incident.events.>',
  /** Status-page subscriptions, published by incident for notify: `status.v1.subscription.<requested|confirmed|cancelled>`. */
  statusSubscriptionPrefix: 'status.v1.subscription',
  statusSubscriptionAll: 'status.v1.subscription.>',

  /** Pages to send (request/reply or event, queue group `notify`), and the state of every delivery (stream NOTIFY). */
  notifyPage: 'notify.v1.page',
  notifyDelivery: (status: string) => `notify.v1.delivery.${status}`,
  notifyDeliveryAll: 'notify.v1.delivery.>',
} as const;

/** JetStream streams and the subjects each one captures. */
export const Streams = {
  metrics: { name: 'METRICS', subjects: [Subjects.metricsInAll] },
  metricsDlq: { name: 'METRICS_DLQ', subjects: [Subjects.metricsDlq] },
  alerts: { name: 'ALERTS', subjects: [Subjects.alertsFiring, Subjects.alertsResolved] },
  incidents: { name: 'INCIDENTS', subjects: [Subjects.incidentEventsAll] },
  statusSubscriptions: { name: 'STATUS_SUBSCRIPTIONS', subjects: [Subjects.statusSubscriptionAll] },
  notify: { name: 'NOTIFY', subjects: [Subjects.notifyDeliveryAll] },
} as const;

/** Queue groups: every instance of a service joins its service's group, so instances share the work. */
export const QueueGroups = {
  ingest: 'ingest',
  query: 'query',
  alerting: 'alerting',
  incident: 'incident',
  notify: 'notify',
} as const;

/** Message headers with a meaning across services. */
export const Headers = {
  influxPrecision: 'Vigil-Precision',
  /** JetStream de-duplication id. */
  msgId: 'Nats-Msg-Id',
  /** Unix ms when ingest received the input; samples without a timestamp get this time. */
  receivedAt: 'Vigil-Received-At',
} as const;
