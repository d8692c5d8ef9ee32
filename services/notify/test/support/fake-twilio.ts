/**
 * A Twilio-compatible Messages API for tests, over real HTTP on 127.0.0.1 (port 0).
 *
 *   const twilio = new FakeTwilio({ accountSid: 'AC…', authToken: 'secret' });
 *   await twilio.start();                       // twilio.url → the adapter's apiUrl
 *   twilio.respondFor('+15005550001', { status: 400, code: 21211, message: 'invalid To' });
 *   twilio.failNext(1, { status: 500 });        // the next create answers 500 (any recipient)
 *   twilio.setOutage(true);                     // every request answers 503 until setOutage(false)
 *   await twilio.deliver(sid, 'delivered');     // POSTs a signed status callback to the message's StatusCallback
 *   twilio.requests                             // every request: method, path, headers, parsed form
 *   await twilio.stop();
 *
 * Only `POST /2010-04-01/Accounts/{AccountSid}/Messages.json` exists. Basic auth is checked (401 + Twilio's error
 * shape when wrong); a created message answers 201 with Twilio's message JSON (status "queued", or "accepted" with a
 * MessagingServiceSid). `autoDeliver: ['sent', 'delivered']` posts those callbacks after each created message that
 * has a StatusCallback; `idle()` waits for them. Callbacks carry X-Twilio-Signature computed here, on its own, so that
 * a test verifying it with the production code checks that code against an independent signer.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { smsSegments, type TwilioMessageStatus } from '../../src/channels/sms';

export interface FakeTwilioOptions {
  accountSid?: string;
  authToken?: string;
  /** Statuses posted, in order, to the StatusCallback of every created message that has one. */
  autoDeliver?: TwilioMessageStatus[];
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  form: Record<string, string>;
}

/** An error answer: HTTP status, Twilio code and message (defaults by status), Retry-After seconds. */
export interface ScriptedAnswer {
  status: number;
  code?: number;
  message?: string;
  retryAfter?: number;
}

export interface FakeMessage {
  sid: string;
  to: string;
  from: string | null;
  messagingServiceSid: string | null;
  body: string;
  statusCallback?: string;
  status: TwilioMessageStatus;
}

export interface PostedCallback {
  sid: string;
  url: string;
  params: Record<string, string>;
  signature: string;
  /** The receiver's HTTP status, or the connection error's message. */
  result: number | string;
}

const API_VERSION = '2010-04-01';

export class FakeTwilio {
  readonly accountSid: string;
  readonly authToken: string;
  readonly requests: RecordedRequest[] = [];
  readonly messages = new Map<string, FakeMessage>();
  readonly callbacks: PostedCallback[] = [];

  private server: Server | undefined;
  private port = 0;
  private outage = false;
  private failures: { left: number; answer: ScriptedAnswer } | undefined;
  private readonly perRecipient = new Map<string, ScriptedAnswer>();
  private readonly pending = new Set<Promise<unknown>>();

  constructor(private readonly options: FakeTwilioOptions = {}) {
    this.accountSid = options.accountSid ?? 'AC' + randomBytes(16).toString('hex');
    this.authToken = options.authToken ?? randomBytes(16).toString('hex');
  }

  /** Base URL, e.g. http://127.0.0.1:40123 (the adapter's apiUrl). */
  get url(): string {
    if (!this.server) throw new Error('FakeTwilio is not started');
    return `http://127.0.0.1:${this.port}`;
  }

  /** The path the adapter posts to. */
  get messagesPath(): string {
    return `/${API_VERSION}/Accounts/${this.accountSid}/Messages.json`;
  }

  async start(): Promise<void> {
    const server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Waits for callbacks in flight, then closes the server (and its kept-alive connections). */
  async stop(): Promise<void> {
    await this.idle();
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  /** The next `n` creates (any recipient) answer `answer`. */
  failNext(n: number, answer: ScriptedAnswer): void {
    this.failures = { left: n, answer };
  }

  /** Every create to `to` answers `answer` (undefined: back to normal). */
  respondFor(to: string, answer: ScriptedAnswer | undefined): void {
    if (answer) this.perRecipient.set(to, answer);
    else this.perRecipient.delete(to);
  }

  /** While on, every request answers 503 (Twilio down). */
  setOutage(on: boolean): void {
    this.outage = on;
  }

  /** Forgets recorded requests, messages, callbacks and every script. */
  reset(): void {
    this.requests.length = 0;
    this.messages.clear();
    this.callbacks.length = 0;
    this.outage = false;
    this.failures = undefined;
    this.perRecipient.clear();
  }

  /** Resolves when no automatic callback is in flight. */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  /** Sets the message's status and POSTs Twilio's signed status callback to its StatusCallback. */
  async deliver(sid: string, status: TwilioMessageStatus, extra: { errorCode?: string } = {}): Promise<PostedCallback> {
    const message = this.messages.get(sid);
    if (!message) throw new Error(`FakeTwilio: no message ${sid}`);
    if (!message.statusCallback) throw new Error(`FakeTwilio: message ${sid} has no StatusCallback`);
    message.status = status;
    const params: Record<string, string> = {
      AccountSid: this.accountSid,
      ApiVersion: API_VERSION,
      From: message.from ?? '',
      MessageSid: sid,
      MessageStatus: status,
      SmsSid: sid,
      SmsStatus: status,
      To: message.to,
    };
    if (extra.errorCode !== undefined) params.ErrorCode = extra.errorCode;
    const signature = this.sign(message.statusCallback, params);
    const result = await postForm(message.statusCallback, params, { 'x-twilio-signature': signature });
    const posted: PostedCallback = { sid, url: message.statusCallback, params, signature, result };
    this.callbacks.push(posted);
    return posted;
  }

  /** Twilio's signing, written here independently of the code under test: URL + sorted name+value, HMAC-SHA1, base64. */
  private sign(url: string, params: Record<string, string>): string {
    const data = Object.keys(params)
      .sort()
      .reduce((acc, name) => acc + name + params[name], url);
    return createHmac('sha1', this.authToken).update(data).digest('base64');
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const isForm = (req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
    const form = isForm ? Object.fromEntries(new URLSearchParams(raw)) : {};
    const path = req.url ?? '/';
    this.requests.push({ method: req.method ?? '', path, headers: req.headers, form });

    if (this.outage) return this.error(res, { status: 503 });
    if (!this.authorized(req.headers.authorization)) {
      res.setHeader('www-authenticate', 'Basic realm="Twilio API"');
      return this.error(res, { status: 401, code: 20003, message: 'Authenticate' });
    }
    if (req.method !== 'POST' || path !== this.messagesPath) {
      return this.error(res, { status: 404, code: 20404, message: `The requested resource ${path} was not found` });
    }
    if (this.failures && this.failures.left > 0) {
      this.failures.left -= 1;
      return this.error(res, this.failures.answer);
    }
    const scripted = form.To !== undefined ? this.perRecipient.get(form.To) : undefined;
    if (scripted) return this.error(res, scripted);
    if (!form.To) return this.error(res, { status: 400, code: 21604, message: "A 'To' phone number is required." });
    if (!form.From && !form.MessagingServiceSid) return this.error(res, { status: 400, code: 21603, message: "A 'From' phone number is required." });
    if (!form.Body) return this.error(res, { status: 400, code: 21602, message: 'Message body is required.' });

    const message: FakeMessage = {
      sid: 'SM' + randomBytes(16).toString('hex'),
      to: form.To,
      from: form.From ?? null,
      messagingServiceSid: form.MessagingServiceSid ?? null,
      body: form.Body,
      statusCallback: form.StatusCallback,
      // Twilio answers "accepted" while a Messaging Service still picks the sender.
      status: form.MessagingServiceSid && !form.From ? 'accepted' : 'queued',
    };
    this.messages.set(message.sid, message);
    this.json(res, 201, this.messageJson(message));
    if (message.statusCallback && this.options.autoDeliver?.length) this.track(this.autoDeliver(message.sid, this.options.autoDeliver));
  }

  private async autoDeliver(sid: string, statuses: TwilioMessageStatus[]): Promise<void> {
    for (const status of statuses) await this.deliver(sid, status);
  }

  private track(work: Promise<unknown>): void {
    const p = work.catch(() => undefined).finally(() => this.pending.delete(p));
    this.pending.add(p);
  }

  private authorized(header: string | undefined): boolean {
    const expected = 'Basic ' + Buffer.from(`${this.accountSid}:${this.authToken}`).toString('base64');
    return header === expected;
  }

  private messageJson(m: FakeMessage): Record<string, unknown> {
    const now = new Date().toUTCString().replace('GMT', '+0000');
    const uri = `/${API_VERSION}/Accounts/${this.accountSid}/Messages/${m.sid}.json`;
    return {
      account_sid: this.accountSid,
      api_version: API_VERSION,
      body: m.body,
      date_created: now,
      date_sent: null,
      date_updated: now,
      direction: 'outbound-api',
      error_code: null,
      error_message: null,
      from: m.from,
      messaging_service_sid: m.messagingServiceSid,
      num_media: '0',
      num_segments: String(smsSegments(m.body).segments),
      price: null,
      price_unit: 'USD',
      sid: m.sid,
      status: m.status,
      subresource_uris: { media: uri.replace('.json', '/Media.json') },
      to: m.to,
      uri,
    };
  }

  private error(res: ServerResponse, answer: ScriptedAnswer): void {
    const code = answer.code ?? 20000 + answer.status;
    const message = answer.message ?? defaultMessage(answer.status);
    if (answer.retryAfter !== undefined) res.setHeader('retry-after', String(answer.retryAfter));
    this.json(res, answer.status, { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status: answer.status });
  }

  private json(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }
}

function defaultMessage(status: number): string {
  if (status === 429) return 'Too Many Requests';
  if (status === 503) return 'Service Unavailable';
  if (status >= 500) return 'Internal Server Error';
  return 'Bad Request';
}

/** POSTs a form without keep-alive (nothing lingers after a test); resolves with the status or the error message. */
function postForm(url: string, params: Record<string, string>, headers: Record<string, string>): Promise<number | string> {
  const body = new URLSearchParams(params).toString();
  return new Promise((resolve) => {
    const req = httpRequest(
      url,
      { method: 'POST', agent: false, headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body), connection: 'close' } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', (err) => resolve(err.message));
    req.end(body);
  });
}
