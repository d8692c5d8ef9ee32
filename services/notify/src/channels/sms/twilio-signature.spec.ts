import { createHmac } from 'node:crypto';
import { twilioSignature, verifyTwilioSignature } from './twilio-signature';

describe('verifyTwilioSignature', () => {
  const token = '12345';
  const url = 'https://mycompany.com/myapp.php?foo=1&bar=2';
  const params = { To: '+18005551212', From: '+12349013030', CallSid: 'CA1234567890ABCDE', Digits: '1234', Caller: '+12349013030' };

  it('matches a signature computed step by step: URL, then sorted name+value pairs, HMAC-SHA1, base64', () => {
    // Written out by hand in sorted order, independent of the implementation's loop.
    const data = url + 'CallSid' + 'CA1234567890ABCDE' + 'Caller' + '+12349013030' + 'Digits' + '1234' + 'From' + '+12349013030' + 'To' + '+18005551212';
    const expected = createHmac('sha1', token).update(data).digest('base64');
    expect(expected).toBe('0/KCTR6DLpKmkAf8muzZqo1nDgQ=');
    expect(twilioSignature(token, url, params)).toBe(expected);
    expect(verifyTwilioSignature(token, url, params, expected)).toBe(true);
  });

  it('rejects a changed parameter, URL, token, or a missing header', () => {
    const good = twilioSignature(token, url, params);
    expect(verifyTwilioSignature(token, url, { ...params, Digits: '1235' }, good)).toBe(false);
    expect(verifyTwilioSignature(token, url.replace('foo=1', 'foo=2'), params, good)).toBe(false);
    expect(verifyTwilioSignature('54321', url, params, good)).toBe(false);
    expect(verifyTwilioSignature(token, url, params, undefined)).toBe(false);
    expect(verifyTwilioSignature(token, url, params, '')).toBe(false);
    expect(verifyTwilioSignature(token, url, params, 'short')).toBe(false);
  });

  it('signs every value of a repeated parameter, values sorted', () => {
    const data = 'https://x.example/cb' + 'Ab' + 'Za' + 'Zb';
    const expected = createHmac('sha1', 't').update(data).digest('base64');
    expect(twilioSignature('t', 'https://x.example/cb', { Z: ['b', 'a'], A: 'b' })).toBe(expected);
  });
});
