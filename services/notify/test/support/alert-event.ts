import type { AlertEvent } from '@vigil/contracts';

/** An `alerts.v1` event of the QueueStuck group (one alert), for the tests; every field can be overridden. */
export function queueStuckEvent(overrides: Partial<AlertEvent> & Pick<AlertEvent, 'id' | 'targets'>): AlertEvent {
  const status = overrides.status ?? 'firing';
  return {
    version: '1',
    status,
    receiver: 'oncall',
    groupKey: '{}:{alertname="QueueStuck"}',
    groupLabels: { alertname: 'QueueStuck' },
    commonLabels: { alertname: 'QueueStuck', severity: 'critical' },
    commonAnnotations: { summary: 'mail queue stuck for 5m' },
    externalURL: 'http://127.0.0.1:9093',
    alerts: [
      {
        status,
        labels: { alertname: 'QueueStuck', severity: 'critical' },
        annotations: { summary: 'mail queue stuck for 5m' },
        startsAt: '2026-12-04T00:00:00Z',
        endsAt: '0001-01-01T00:00:00Z',
        generatorURL: 'http://127.0.0.1:9090/graph?g0.expr=mail_queue_depth',
        fingerprint: '0123456789abcdef',
      },
    ],
    truncatedAlerts: 0,
    at: new Date().toISOString(),
    ...overrides,
  };
}
