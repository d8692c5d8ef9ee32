/**
 * The Twilio SMS adapter against FakeTwilio over real HTTP: the exact request it sends, how each answer maps to a
 * SendOutcome, and a signed status callback reaching a receiver that verifies it with the production verifier.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseTwilioStatusCallback, TwilioSmsChannel, verifyTwilioSignature } from '../src/channels/sms';
import { FakeTwilio } from './support/fake-twilio';

const ACCOUNT = 'AC' + 'a1'.repeat(16);
const TOKEN = 'fake-auth-token-0123456789';
const FROM = '+15005550006';
const TO = '+15551230001';
const BODY = 'FIRING: disk 95% full & rising on db-1 — 🔥 https://vigil.example/i/abc';

/** A tiny receiver for status callbacks: records each form with its full URL and headers. */
class CallbackReceiver {
  readonly received: { url: string; headers: IncomingHttpHeaders; form: Record<string, string> }[] = [];
  private server: Server | undefined;
  private port = 0;
  private waiters: { n: number; resolve: () => void }[] = [];

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const form = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
        this.received.push({ url: `${this.base}${req.url ?? ''}`, headers: req.headers, form });
        res.writeHead(204).end();
        this.waiters = this.waiters.filter((w) => (this.received.length >= w.n ? (w.resolve(), false) : true));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  get base(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Resolves once `n` callbacks arrived (no polling, no sleeps). */
  until(n: number): Promise<void> {
    if (this.received.length >= n) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ n, resolve }));
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }
}

describe('TwilioSmsChannel against FakeTwilio', () => {
  const twilio = new FakeTwilio({ accountSid: ACCOUNT, authToken: TOKEN });
  const receiver = new CallbackReceiver();
  const channel = (extra: { from?: string; messagingServiceSid?: string; authToken?: string; apiUrl?: string } = { from: FROM }) =>
    new TwilioSmsChannel({ apiUrl: twilio.url, accountSid: ACCOUNT, authToken: TOKEN, ...extra });

  beforeAll(async () => {
    await twilio.start();
    await receiver.start();
  });
  afterAll(async () => {
    await twilio.stop();
    await receiver.stop();
  });
  beforeEach(() => twilio.reset());

  it('sends with From: the exact path, Basic auth and every form field; accepted with the fake sid', async () => {
    const callback = `${receiver.base}/twilio/status?delivery=d-1`;
    const outcome = await channel().send({ to: TO, body: BODY, statusCallback: callback });

    expect(twilio.requests).toHaveLength(1);
    const [req] = twilio.requests;
    expect(req.method).toBe('POST');
    expect(req.path).toBe(`/2010-04-01/Accounts/${ACCOUNT}/Messages.json`);
    expect(req.headers.authorization).toBe('Basic ' + Buffer.from(`${ACCOUNT}:${TOKEN}`).toString('base64'));
    expect(req.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(req.form).toEqual({ To: TO, From: FROM, Body: BODY, StatusCallback: callback });

    const [sid] = [...twilio.messages.keys()];
    expect(sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(outcome).toEqual({ kind: 'accepted', providerId: sid, providerStatus: 'queued' });
  });

  it('sends with MessagingServiceSid instead of From (no StatusCallback when none is given)', async () => {
    const outcome = await channel({ messagingServiceSid: 'MG' + 'b2'.repeat(16) }).send({ to: TO, body: 'resolved' });
    expect(twilio.requests).toHaveLength(1);
    expect(twilio.requests[0].form).toEqual({ To: TO, MessagingServiceSid: 'MG' + 'b2'.repeat(16), Body: 'resolved' });
    const [sid] = [...twilio.messages.keys()];
    expect(outcome).toEqual({ kind: 'accepted', providerId: sid, providerStatus: 'accepted' });
  });

  it("21211 (invalid 'To') → permanent, with Twilio's code and message", async () => {
    twilio.respondFor('+15005550001', { status: 400, code: 21211, message: "The 'To' number +15005550001 is not a valid phone number." });
    await expect(channel().send({ to: '+15005550001', body: 'x' })).resolves.toEqual({
      kind: 'permanent',
      code: '21211',
      message: "The 'To' number +15005550001 is not a valid phone number.",
    });
    // Only that recipient is scripted.
    await expect(channel().send({ to: TO, body: 'x' })).resolves.toMatchObject({ kind: 'accepted' });
  });

  it('21610 (recipient sent STOP) → permanent', async () => {
    twilio.respondFor('+15005550004', { status: 400, code: 21610, message: 'Attempt to send to unsubscribed recipient' });
    await expect(channel().send({ to: '+15005550004', body: 'x' })).resolves.toEqual({
      kind: 'permanent',
      code: '21610',
      message: 'Attempt to send to unsubscribed recipient',
    });
  });

  it('429 with Retry-After → retry with retryAfterMs; the next send goes through', async () => {
    twilio.failNext(1, { status: 429, retryAfter: 3 });
    await expect(channel().send({ to: TO, body: 'x' })).resolves.toEqual({ kind: 'retry', code: '20429', message: 'Too Many Requests', retryAfterMs: 3000 });
    await expect(channel().send({ to: TO, body: 'x' })).resolves.toMatchObject({ kind: 'accepted' });
  });

  it('500 → retry', async () => {
    twilio.failNext(1, { status: 500 });
    await expect(channel().send({ to: TO, body: 'x' })).resolves.toEqual({ kind: 'retry', code: '20500', message: 'Internal Server Error' });
  });

  it('an outage (503 on everything) → retry, until it ends', async () => {
    twilio.setOutage(true);
    await expect(channel().send({ to: TO, body: 'x' })).resolves.toEqual({ kind: 'retry', code: '20503', message: 'Service Unavailable' });
    twilio.setOutage(false);
    await expect(channel().send({ to: TO, body: 'x' })).resolves.toMatchObject({ kind: 'accepted' });
  });

  it('a wrong auth token → 401 → permanent 20003', async () => {
    await expect(channel({ from: FROM, authToken: 'wrong' }).send({ to: TO, body: 'x' })).resolves.toEqual({ kind: 'permanent', code: '20003', message: 'Authenticate' });
    expect(twilio.messages.size).toBe(0);
  });

  it('connection refused (the fake stopped) → retry', async () => {
    const gone = new FakeTwilio({ accountSid: ACCOUNT, authToken: TOKEN });
    await gone.start();
    const url = gone.url;
    await gone.stop();
    await expect(channel({ from: FROM, apiUrl: url }).send({ to: TO, body: 'x' })).resolves.toMatchObject({ kind: 'retry', code: 'ECONNREFUSED' });
  });

  it('a status callback reaches the receiver, its signature verifies and it parses to the update', async () => {
    const callback = `${receiver.base}/twilio/status?delivery=d-2`;
    const before = receiver.received.length;
    const outcome = await channel().send({ to: TO, body: BODY, statusCallback: callback });
    if (outcome.kind !== 'accepted') throw new Error(`not accepted: ${JSON.stringify(outcome)}`);

    const posted = await twilio.deliver(outcome.providerId, 'delivered');
    expect(posted.result).toBe(204);
    await receiver.until(before + 1);
    const got = receiver.received[before];

    expect(got.url).toBe(callback);
    const signature = got.headers['x-twilio-signature'];
    expect(typeof signature).toBe('string');
    expect(verifyTwilioSignature(TOKEN, got.url, got.form, signature as string)).toBe(true);
    expect(verifyTwilioSignature('another-token', got.url, got.form, signature as string)).toBe(false);
    expect(verifyTwilioSignature(TOKEN, got.url, { ...got.form, MessageStatus: 'failed' }, signature as string)).toBe(false);
    expect(parseTwilioStatusCallback(got.form)).toEqual({ ok: true, update: { providerId: outcome.providerId, status: 'delivered' } });
  });

  it("an automatic 'sent' callback, then a manual 'undelivered' with an error code, arrive in order and verify", async () => {
    const auto = new FakeTwilio({ accountSid: ACCOUNT, authToken: TOKEN, autoDeliver: ['sent'] });
    await auto.start();
    try {
      const before = receiver.received.length;
      const callback = `${receiver.base}/twilio/status?delivery=d-3`;
      const outcome = await new TwilioSmsChannel({ apiUrl: auto.url, accountSid: ACCOUNT, authToken: TOKEN, from: FROM }).send({ to: TO, body: 'x', statusCallback: callback });
      if (outcome.kind !== 'accepted') throw new Error(`not accepted: ${JSON.stringify(outcome)}`);
      await receiver.until(before + 1);
      await auto.idle();
      await auto.deliver(outcome.providerId, 'undelivered', { errorCode: '30003' });
      await receiver.until(before + 2);

      const got = receiver.received.slice(before);
      expect(got.map((g) => parseTwilioStatusCallback(g.form))).toEqual([
        { ok: true, update: { providerId: outcome.providerId, status: 'sent' } },
        { ok: true, update: { providerId: outcome.providerId, status: 'undelivered', errorCode: '30003' } },
      ]);
      for (const g of got) expect(verifyTwilioSignature(TOKEN, g.url, g.form, g.headers['x-twilio-signature'] as string)).toBe(true);
    } finally {
      await auto.stop();
    }
  });
});
