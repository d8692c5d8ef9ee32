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

  queryInstant: 'query.v1.instant',
  queryRange: 'query.v1.range',

  alertsFiring: 'alerts.v1.firing',
  alertsResolved: 'alerts.v1.resolved',

  incidentCommand: (command: string) => `incident.v1.cmd.${command}`,
  incidentCommandAll: 'incident.v1.cmd.>',
  incidentEvents: (incidentId: string) => `incident.events.${incidentId}`,
  incidentEventsAll: 'incident.events.>',

  notifyDelivery: (status: string) => `notify.v1.delivery.${status}`,
} as const;

export const Streams = {
  metrics: 'METRICS',
  metricsDlq: 'METRICS_DLQ',
  alerts: 'ALERTS',
  incidents: 'INCIDENTS',
  notify: 'NOTIFY',
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
