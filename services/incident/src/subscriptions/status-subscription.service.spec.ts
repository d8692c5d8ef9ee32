import { VigilError } from '@vigil/platform';
import { validateAddress } from './status-subscription.service';

describe('validateAddress', () => {
  it('normalizes email and phone', () => {
    expect(validateAddress({ email: ' Ops@Example.COM ' })).toEqual({ channel: 'email', address: 'ops@example.com' });
    expect(validateAddress({ phone: '+1 (415) 555-0100' })).toEqual({ channel: 'sms', address: '+14155550100' });
  });
  it.each([
    [{}, 'invalid_request', /email address or a phone number is required/],
    [{ email: 'a@b.c', phone: '+14155550100' }, 'invalid_request', /not both/],
    [{ email: 'no-at-sign' }, 'invalid_email', /"no-at-sign" is not a valid email address/],
    [{ email: 'a@b' }, 'invalid_email', /not a valid email/],
    [{ email: `${'a'.repeat(250)}@x.io` }, 'invalid_email', /not a valid email/],
    [{ phone: '4155550100' }, 'invalid_phone', /international format/],
    [{ phone: '+0123456789' }, 'invalid_phone', /international format/],
  ])('rejects %j with %s', (input, code, message) => {
    try {
      validateAddress(input);
      throw new Error('expected an error');
    } catch (error) {
      expect(error).toBeInstanceOf(VigilError);
      expect((error as VigilError).code).toBe(code);
      expect((error as VigilError).status).toBe(400);
      expect((error as Error).message).toMatch(message);
    }
  });
});
