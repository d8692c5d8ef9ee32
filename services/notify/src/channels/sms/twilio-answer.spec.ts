import { classifyTwilioAnswer, retryAfterMs } from './twilio-answer';

const none = new Headers();
const err = (code: number, message: string, status: number) => ({ code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status });

describe('classifyTwilioAnswer', () => {
  it('2xx with a sid → accepted, with Twilio status', () => {
    expect(classifyTwilioAnswer(201, { sid: 'SMabc', status: 'queued', to: '+1' }, none)).toEqual({ kind: 'accepted', providerId: 'SMabc', providerStatus: 'queued' });
    expect(classifyTwilioAnswer(200, { sid: 'SMabc' }, none)).toEqual({ kind: 'accepted', providerId: 'SMabc' });
  });

  it('2xx without a sid → retry (it may not have been taken)', () => {
    expect(classifyTwilioAnswer(201, undefined, none)).toMatchObject({ kind: 'retry', code: 'HTTP 201' });
  });

  it.each([
    [21211, "The 'To' number +1555 is not a valid phone number."],
    [21610, 'Attempt to send to unsubscribed recipient'],
    [21614, "'To' number is not a valid mobile number"],
    [21408, 'Permission to send an SMS has not been enabled for the region indicated by the To number'],
  ])('Twilio code %d → permanent with code and message', (code, message) => {
    expect(classifyTwilioAnswer(400, err(code, message, 400), none)).toEqual({ kind: 'permanent', code: String(code), message });
  });

  it('HTTP 429 → retry, Retry-After seconds as ms', () => {
    const headers = new Headers({ 'retry-after': '7' });
    expect(classifyTwilioAnswer(429, err(20429, 'Too Many Requests', 429), headers)).toEqual({ kind: 'retry', code: '20429', message: 'Too Many Requests', retryAfterMs: 7000 });
    expect(classifyTwilioAnswer(429, undefined, none)).toEqual({ kind: 'retry', code: 'HTTP 429', message: 'Twilio answered HTTP 429' });
  });

  it('Twilio code 20429 under another status → retry', () => {
    expect(classifyTwilioAnswer(400, err(20429, 'Too Many Requests', 400), none)).toMatchObject({ kind: 'retry', code: '20429' });
  });

  it('Retry-After as an HTTP date → ms from now', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    const headers = new Headers({ 'retry-after': 'Thu, 01 Jan 2026 00:00:30 GMT' });
    expect(classifyTwilioAnswer(429, undefined, headers, now)).toMatchObject({ kind: 'retry', retryAfterMs: 30_000 });
  });

  it('5xx → retry, with or without a JSON body', () => {
    expect(classifyTwilioAnswer(500, err(20500, 'Internal Server Error', 500), none)).toEqual({ kind: 'retry', code: '20500', message: 'Internal Server Error' });
    expect(classifyTwilioAnswer(503, undefined, new Headers({ 'retry-after': '2' }))).toEqual({ kind: 'retry', code: 'HTTP 503', message: 'Twilio answered HTTP 503', retryAfterMs: 2000 });
  });

  it('other 4xx → permanent with Twilio code and message (bad auth, bad request)', () => {
    expect(classifyTwilioAnswer(401, err(20003, 'Authenticate', 401), none)).toEqual({ kind: 'permanent', code: '20003', message: 'Authenticate' });
    expect(classifyTwilioAnswer(400, err(21602, 'Message body is required.', 400), none)).toEqual({ kind: 'permanent', code: '21602', message: 'Message body is required.' });
    expect(classifyTwilioAnswer(404, 'not json', none)).toEqual({ kind: 'permanent', code: 'HTTP 404', message: 'Twilio answered HTTP 404' });
  });
});

describe('retryAfterMs', () => {
  it('reads seconds, dates, and nothing else', () => {
    expect(retryAfterMs('0', 0)).toBe(0);
    expect(retryAfterMs(' 12 ', 0)).toBe(12_000);
    expect(retryAfterMs(null, 0)).toBeUndefined();
    expect(retryAfterMs('soon', 0)).toBeUndefined();
    expect(retryAfterMs('Thu, 01 Jan 1970 00:00:00 GMT', 5000)).toBe(0); // a past date: now
  });
});
