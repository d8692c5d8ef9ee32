import { Streams, Subjects } from './subjects';

/** NATS subject filters overlap when some subject matches both (`*` one token, `>` the rest). */
function overlap(a: string[], b: string[]): boolean {
  if (a.length === 0 || b.length === 0) return a.length === b.length;
  if (a[0] === '>' || b[0] === '>') return true;
  if (a[0] !== '*' && b[0] !== '*' && a[0] !== b[0]) return false;
  return overlap(a.slice(1), b.slice(1));
}
const filters = (subject: string) => subject.split('.');

describe('subjects and streams table', () => {
  const streams = Object.values(Streams);

  it('has one name per stream', () => {
    expect(new Set(streams.map((s) => s.name)).size).toBe(streams.length);
  });

  it('captures no subject in two streams (JetStream refuses overlapping streams)', () => {
    for (const [i, a] of streams.entries()) {
      for (const b of streams.slice(i + 1)) {
        for (const sa of a.subjects) for (const sb of b.subjects) expect({ a: sa, b: sb, overlap: overlap(filters(sa), filters(sb)) }).toMatchObject({ overlap: false });
      }
    }
  });

  it('puts every event subject into its stream and keeps request/reply subjects out of streams', () => {
    const captured = (subject: string) => streams.filter((s) => s.subjects.some((f) => overlap(filters(f), filters(subject)))).map((s) => s.name);
    expect(captured(Subjects.metricsInJson)).toEqual(['METRICS']);
    expect(captured(Subjects.metricsDlq)).toEqual(['METRICS_DLQ']);
    expect(captured(Subjects.alertsFiring)).toEqual(['ALERTS']);
    expect(captured(Subjects.incidentEvents('inc_1'))).toEqual(['INCIDENTS']);
    expect(captured(`${Subjects.statusSubscriptionPrefix}.requested`)).toEqual(['STATUS_SUBSCRIPTIONS']);
    expect(captured(Subjects.notifyDelivery('sent'))).toEqual(['NOTIFY']);
    for (const request of [Subjects.queryInstant, Subjects.queryRange, Subjects.ingestWriteJson, Subjects.incidentCommand('declare'), Subjects.alertingRules]) {
      expect({ request, streams: captured(request) }).toEqual({ request, streams: [] });
    }
  });

  it('derives the prefixed helpers from their prefixes', () => {
    expect(Subjects.incidentCommand('declare')).toBe(`${Subjects.incidentCommandPrefix}.declare`);
    expect(Subjects.incidentEvents('x')).toBe(`${Subjects.incidentEventsPrefix}.x`);
  });
});
