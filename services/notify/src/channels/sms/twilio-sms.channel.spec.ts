import { TwilioSmsChannel } from './twilio-sms.channel';

const base = { apiUrl: 'https://api.twilio.example/', accountSid: 'AC123', authToken: 'secret' };

/** A fetch that records its call and answers with `answer`. */
function recordingFetch(answer: () => Promise<Response>) {
  const calls: { url: string; init: RequestInit | undefined }[] = [];
  const fn = (async (input: string | URL | Request, init?: RequestInit) => {
    calls.push({ url: String(input), init });
    return answer();
  }) as typeof fetch;
  return { fn, calls };
}

describe('TwilioSmsChannel', () => {
  it('needs exactly one of from / messagingServiceSid', () => {
    expect(() => new TwilioSmsChannel({ ...base })).toThrow(/exactly one/);
    expect(() => new TwilioSmsChannel({ ...base, from: '+1', messagingServiceSid: 'MG1' })).toThrow(/exactly one/);
    expect(() => new TwilioSmsChannel({ ...base, from: '+1', apiUrl: 'not a url' })).toThrow();
  });

  it('posts the form to the account Messages endpoint with Basic auth', async () => {
    const { fn, calls } = recordingFetch(async () => new Response(JSON.stringify({ sid: 'SM1', status: 'queued' }), { status: 201 }));
    const channel = new TwilioSmsChannel({ ...base, from: '+15005550006', fetch: fn });
    await expect(channel.send({ to: '+15551234567', body: 'Hi & bye', statusCallback: 'https://vigil.example/cb?d=1' })).resolves.toEqual({
      kind: 'accepted',
      providerId: 'SM1',
      providerStatus: 'queued',
    });
    expect(calls).toHaveLength(1);
    expect(calls[0].url).toBe('https://api.twilio.example/2010-04-01/Accounts/AC123/Messages.json');
    const init = calls[0].init!;
    expect(init.method).toBe('POST');
    expect(init.headers).toMatchObject({ authorization: 'Basic ' + Buffer.from('AC123:secret').toString('base64'), 'content-type': 'application/x-www-form-urlencoded' });
    expect(Object.fromEntries(new URLSearchParams(String(init.body)))).toEqual({
      To: '+15551234567',
      From: '+15005550006',
      Body: 'Hi & bye',
      StatusCallback: 'https://vigil.example/cb?d=1',
    });
  });

  it('answers retry/timeout when Twilio does not answer in time', async () => {
    // Never answers; only the abort signal ends the call.
    const hanging = ((_input: string | URL | Request, init?: RequestInit) =>
      new Promise<Response>((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)))) as typeof fetch;
    const channel = new TwilioSmsChannel({ ...base, from: '+1', timeoutMs: 20, fetch: hanging });
    await expect(channel.send({ to: '+2', body: 'x' })).resolves.toEqual({ kind: 'retry', code: 'timeout', message: 'Twilio did not answer within 20 ms' });
  });

  it('answers retry with the socket error code on a network failure', async () => {
    const refusing = (async () => {
      throw new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }) });
    }) as typeof fetch;
    const channel = new TwilioSmsChannel({ ...base, messagingServiceSid: 'MG1', fetch: refusing });
    await expect(channel.send({ to: '+2', body: 'x' })).resolves.toEqual({ kind: 'retry', code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:1' });
  });

  it('classifies a non-JSON error body by HTTP status', async () => {
    const { fn } = recordingFetch(async () => new Response('<html>bad gateway</html>', { status: 502 }));
    const channel = new TwilioSmsChannel({ ...base, from: '+1', fetch: fn });
    await expect(channel.send({ to: '+2', body: 'x' })).resolves.toEqual({ kind: 'retry', code: 'HTTP 502', message: 'Twilio answered HTTP 502' });
  });
});
