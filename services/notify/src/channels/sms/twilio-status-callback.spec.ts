import { parseTwilioStatusCallback } from './twilio-status-callback';

describe('parseTwilioStatusCallback', () => {
  it('reads a delivered callback (URLSearchParams), dropping the fields Vigil does not use', () => {
    const form = new URLSearchParams({
      MessageSid: 'SM0123456789abcdef0123456789abcdef',
      SmsSid: 'SM0123456789abcdef0123456789abcdef',
      MessageStatus: 'delivered',
      SmsStatus: 'delivered',
      AccountSid: 'AC1',
      To: '+15005550006',
      From: '+15005550001',
      ApiVersion: '2010-04-01',
    });
    expect(parseTwilioStatusCallback(form)).toEqual({ ok: true, update: { providerId: 'SM0123456789abcdef0123456789abcdef', status: 'delivered' } });
  });

  it('keeps the error code of an undelivered message and ignores an empty one', () => {
    expect(parseTwilioStatusCallback({ MessageSid: 'SM1', MessageStatus: 'undelivered', ErrorCode: '30003' })).toEqual({
      ok: true,
      update: { providerId: 'SM1', status: 'undelivered', errorCode: '30003' },
    });
    expect(parseTwilioStatusCallback({ MessageSid: 'SM1', MessageStatus: 'sent', ErrorCode: '' })).toEqual({ ok: true, update: { providerId: 'SM1', status: 'sent' } });
  });

  it('refuses an unknown status or a missing sid, saying which field', () => {
    const badStatus = parseTwilioStatusCallback({ MessageSid: 'SM1', MessageStatus: 'exploded' });
    expect(badStatus.ok).toBe(false);
    if (!badStatus.ok) expect(badStatus.error).toContain('MessageStatus');
    const noSid = parseTwilioStatusCallback({ MessageStatus: 'sent' });
    expect(noSid.ok).toBe(false);
    if (!noSid.ok) expect(noSid.error).toContain('MessageSid');
  });
});
