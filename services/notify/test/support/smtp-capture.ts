import type { AddressInfo } from 'node:net';
import { simpleParser, type HeaderValue } from 'mailparser';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';

/** One message as the server received it. */
export interface CapturedMessage {
  envelope: { from: string; to: string[] };
  raw: string;
  /** Header name (lowercase) → the raw header line's value, unfolded, as sent (no parsing into address objects). */
  headers: Map<string, string>;
  /** mailparser's view of the headers (parsed addresses, dates, …). */
  parsedHeaders: Map<string, HeaderValue>;
  /** The top-level Content-Type, e.g. `multipart/alternative; boundary=…`. */
  contentType: string;
  subject?: string;
  text?: string;
  html?: string;
}

interface Waiter {
  count: number;
  resolve: () => void;
}

/**
 * A capturing SMTP server on 127.0.0.1 (random port, no TLS, AUTH optional and any credentials accepted). Records every
 * message; `rejectRecipient` makes RCPT TO for an address fail with a given reply.
 */
export class SmtpCapture {
  readonly messages: CapturedMessage[] = [];
  private readonly rejections = new Map<string, { code: number; message: string }>();
  private readonly waiters: Waiter[] = [];
  private server: SMTPServer | undefined;
  private port = 0;

  get url(): string {
    if (this.server === undefined) throw new Error('SmtpCapture: not started');
    return `smtp://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const server = new SMTPServer({
      secure: false,
      disabledCommands: ['STARTTLS'],
      authOptional: true,
      allowInsecureAuth: true,
      logger: false,
      // Close lingering client connections quickly on stop(), instead of the default 30 s grace period.
      closeTimeout: 100,
      onAuth: (auth, _session, callback) => callback(null, { user: auth.username ?? 'anonymous' }),
      onRcptTo: (address, _session, callback) => {
        const rejection = this.rejections.get(address.address.toLowerCase());
        if (rejection === undefined) return callback();
        callback(Object.assign(new Error(rejection.message), { responseCode: rejection.code }));
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('error', (error) => callback(error));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          this.record(raw, session).then(
            () => callback(),
            (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
          );
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.port = (server.server.address() as AddressInfo).port;
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (server === undefined) return;
    this.server = undefined;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Makes RCPT TO for `address` fail with `code` (e.g. 550, 451) from now on. */
  rejectRecipient(address: string, code: number, message: string): void {
    this.rejections.set(address.toLowerCase(), { code, message });
  }

  /** Resolves once at least `n` messages have arrived in total. */
  waitFor(n: number): Promise<CapturedMessage[]> {
    if (this.messages.length >= n) return Promise.resolve(this.messages.slice(0, n));
    return new Promise((resolve) => {
      this.waiters.push({ count: n, resolve: () => resolve(this.messages.slice(0, n)) });
    });
  }

  private async record(raw: string, session: SMTPServerSession): Promise<void> {
    const parsed = await simpleParser(raw);
    const mailFrom = session.envelope.mailFrom;
    const headers = rawHeaders(raw);
    this.messages.push({
      envelope: { from: mailFrom === false ? '' : mailFrom.address, to: session.envelope.rcptTo.map((r) => r.address) },
      raw,
      headers,
      parsedHeaders: parsed.headers,
      contentType: headers.get('content-type') ?? '',
      subject: parsed.subject,
      text: parsed.text,
      html: parsed.html === false ? undefined : parsed.html,
    });
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      const waiter = this.waiters[i];
      if (this.messages.length >= waiter.count) {
        this.waiters.splice(i, 1);
        waiter.resolve();
      }
    }
  }
}

/** The top-level header block, unfolded: what a mail client sees before any decoding. */
function rawHeaders(raw: string): Map<string, string> {
  const end = raw.search(/\r?\n\r?\n/);
  const block = end === -1 ? raw : raw.slice(0, end);
  const headers = new Map<string, string>();
  for (const line of block.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return headers;
}
