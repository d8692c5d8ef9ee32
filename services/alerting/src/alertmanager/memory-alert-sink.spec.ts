import type { Alert } from './alert';
import { fingerprint } from './labels';
import { MemoryAlertSink } from './memory-alert-sink';

const alert = (labels: Record<string, string>, endsAt: number): Alert => ({
  fingerprint: fingerprint(labels),
  labels,
  annotations: {},
  startsAt: 0,
  endsAt,
  updatedAt: 0,
  generatorURL: '',
});

describe('MemoryAlertSink', () => {
  it('keeps the latest alert per fingerprint', async () => {
    const sink = new MemoryAlertSink();
    const a = alert({ alertname: 'A' }, 100);
    await sink.put([a, alert({ alertname: 'B' }, 100)], 0);
    await sink.put([{ ...a, endsAt: 50 }], 50);
    expect(sink.all()).toHaveLength(2);
    expect(sink.get(a.fingerprint)?.endsAt).toBe(50);
    expect(sink.get('0000000000000000')).toBeUndefined();
  });
});
