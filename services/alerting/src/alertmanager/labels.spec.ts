import { fingerprint, labelSetString, pickLabels } from './labels';

describe('Alertmanager labels', () => {
  it('fingerprints as model.LabelSet.Fingerprint (values from prometheus/common signature tests)', () => {
    expect(BigInt(`0x${fingerprint({})}`)).toBe(14695981039346656037n);
    expect(BigInt(`0x${fingerprint({ name: 'garland, briggs', fear: 'love is not enough' })}`)).toBe(5799056148416392346n);
  });

  it('fingerprint does not depend on the order labels were given in, and is 16 hex digits', () => {
    expect(fingerprint({ a: '1', b: '2' })).toBe(fingerprint({ b: '2', a: '1' }));
    expect(fingerprint({ a: '1', b: '2' })).not.toBe(fingerprint({ a: '2', b: '1' }));
    expect(fingerprint({ a: '1' })).toMatch(/^[0-9a-f]{16}$/);
  });

  it('prints label sets sorted with Go quoting', () => {
    expect(labelSetString({ job: 'api', alertname: 'Down "hard"' })).toBe('{alertname="Down \\"hard\\"", job="api"}');
    expect(labelSetString({})).toBe('{}');
  });

  it('picks group labels, leaving out absent and empty ones', () => {
    expect(pickLabels({ a: '1', b: '', c: '3' }, ['a', 'b', 'd'])).toEqual({ a: '1' });
  });
});
