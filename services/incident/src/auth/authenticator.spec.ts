import { describeError } from '@vigil/platform';
import { ApiKeys } from './api-keys';
import { resolveBearer } from './authenticator';

const keys = new ApiKeys({
  'key-alice-0001': { person: 'alice', team: 'sre', admin: false },
  'key-alerting-01': { person: 'alerting', team: 'platform', admin: false },
});

function refusal(header: string | string[] | undefined) {
  try {
    resolveBearer(keys, header);
  } catch (error) {
    return describeError(error);
  }
  throw new Error('expected a refusal');
}

describe('resolveBearer (HTTP guard and NATS handler)', () => {
  it('resolves "Bearer <key>" (any case of the scheme) to the key holder', () => {
    expect(resolveBearer(keys, 'Bearer key-alice-0001')).toEqual({ person: 'alice', team: 'sre', admin: false });
    expect(resolveBearer(keys, 'bearer   key-alerting-01')).toEqual({ person: 'alerting', team: 'platform', admin: false });
    expect(resolveBearer(keys, ['Bearer key-alice-0001'])).toMatchObject({ person: 'alice' });
  });

  it.each<[string, string | string[] | undefined, RegExp]>([
    ['no header', undefined, /^missing API key: send "Authorization: Bearer <api key>"$/],
    ['an empty header', '', /^missing API key/],
    ['no header values (NATS)', [], /^missing API key/],
    ['another scheme', 'Basic YWxpY2U6eA==', /^Authorization header must be "Bearer <api key>"$/],
    ['a bare key', 'key-alice-0001', /^Authorization header must be/],
    ['two keys', 'Bearer key-alice-0001 key-alerting-01', /^Authorization header must be/],
    ['an unknown key', 'Bearer key-nobody-001', /^unknown API key$/],
    ['a prefix of a key', 'Bearer key-alice-000', /^unknown API key$/],
    ['two headers', ['Bearer key-alice-0001', 'Bearer key-alerting-01'], /exactly one Authorization header/],
  ])('refuses %s with 401 unauthorized', (_, header, message) => {
    expect(refusal(header)).toEqual({ status: 401, kind: 'unauthorized', code: 'unauthorized', message: expect.stringMatching(message) });
  });
});
