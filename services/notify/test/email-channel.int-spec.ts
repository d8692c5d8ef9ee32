import { SmtpEmailChannel, type SmtpEmailChannelOptions } from '../src/channels/email';
import type { EmailMessage } from '../src/channels/channel.port';
import { SmtpCapture } from './support/smtp-capture';

// The email adapter over real SMTP, against a capturing server: the headers mail clients thread and unsubscribe by,
// both body parts, and the outcomes for rejected recipients and an unreachable server.
describe('SmtpEmailChannel over SMTP', () => {
  const capture = new SmtpCapture();
  let channel: SmtpEmailChannel;
  const options = (smtpUrl: string): SmtpEmailChannelOptions => ({ smtpUrl, from: 'Vigil <vigil@example.com>', domain: 'vigil.example', timeoutMs: 5000 });

  const message = (overrides: Partial<EmailMessage> = {}): EmailMessage => ({
    to: 'oncall@example.com',
    subject: '[FIRING] HighErrorRate on api',
    text: 'Error rate is 12%.\n\nAcknowledge: https://vigil.example/ack/abc',
    html: '<p>Error rate is 12%.</p><p><a href="https://vigil.example/ack/abc">Acknowledge</a></p>',
    messageKey: 'delivery-1',
    ...overrides,
  });

  beforeAll(async () => {
    await capture.start();
    channel = new SmtpEmailChannel(options(capture.url));
  });

  afterAll(async () => {
    channel.close();
    await capture.stop();
  });

  it('sends a multipart/alternative message with the threading and one-click unsubscribe headers', async () => {
    const outcome = await channel.send(
      message({ threadId: 'inc-42', unsubscribeUrl: 'https://status.example/unsubscribe?t=tok123', to: 'customer@example.com' }),
    );
    expect(outcome).toMatchObject({ kind: 'accepted', providerId: '<delivery-1@vigil.example>' });

    const [received] = await capture.waitFor(1);
    expect(received.envelope).toEqual({ from: 'vigil@example.com', to: ['customer@example.com'] });
    const h = received.headers;
    expect(h.get('from')).toBe('Vigil <vigil@example.com>');
    expect(h.get('to')).toBe('customer@example.com');
    expect(h.get('subject')).toBe('[FIRING] HighErrorRate on api');
    expect(h.get('message-id')).toBe('<delivery-1@vigil.example>');
    expect(h.get('in-reply-to')).toBe('<thread-inc-42@vigil.example>');
    expect(h.get('references')).toBe('<thread-inc-42@vigil.example>');
    expect(h.get('list-unsubscribe')).toBe('<https://status.example/unsubscribe?t=tok123>');
    expect(h.get('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    expect(received.contentType).toMatch(/^multipart\/alternative;\s*boundary=/);
    expect(received.raw).toMatch(/Content-Type: text\/plain; charset=utf-8/i);
    expect(received.raw).toMatch(/Content-Type: text\/html; charset=utf-8/i);
    expect(received.text?.trim()).toBe('Error rate is 12%.\n\nAcknowledge: https://vigil.example/ack/abc');
    expect(received.html).toBe('<p>Error rate is 12%.</p><p><a href="https://vigil.example/ack/abc">Acknowledge</a></p>');
  });

  it('leaves out the thread and unsubscribe headers when the message has none', async () => {
    const before = capture.messages.length;
    await expect(channel.send(message({ messageKey: 'delivery-plain' }))).resolves.toMatchObject({ kind: 'accepted' });
    const received = (await capture.waitFor(before + 1))[before];
    expect(received.headers.get('message-id')).toBe('<delivery-plain@vigil.example>');
    for (const name of ['in-reply-to', 'references', 'list-unsubscribe', 'list-unsubscribe-post']) expect(received.headers.has(name)).toBe(false);
  });

  it('threads two updates of one incident under the same root', async () => {
    const before = capture.messages.length;
    const sent = await Promise.all([
      channel.send(message({ messageKey: 'delivery-2', threadId: 'inc-7', subject: 'Incident 7: investigating' })),
      channel.send(message({ messageKey: 'delivery-3', threadId: 'inc-7', subject: 'Incident 7: resolved' })),
    ]);
    expect(sent.map((o) => o.kind)).toEqual(['accepted', 'accepted']);
    const received = (await capture.waitFor(before + 2)).slice(before);
    const byId = new Map(received.map((m) => [m.headers.get('message-id'), m]));
    expect([...byId.keys()].sort()).toEqual(['<delivery-2@vigil.example>', '<delivery-3@vigil.example>']);
    for (const m of received) {
      expect(m.headers.get('references')).toBe('<thread-inc-7@vigil.example>');
      expect(m.headers.get('in-reply-to')).toBe('<thread-inc-7@vigil.example>');
    }
  });

  it('answers permanent with the code when the server rejects the recipient with 550', async () => {
    capture.rejectRecipient('gone@example.com', 550, 'Mailbox unavailable');
    const outcome = await channel.send(message({ to: 'gone@example.com', messageKey: 'delivery-550' }));
    expect(outcome).toMatchObject({ kind: 'permanent', code: '550' });
    expect(outcome.kind !== 'accepted' && outcome.message).toContain('Mailbox unavailable');
  });

  it('answers retry when the server defers the recipient with 451', async () => {
    capture.rejectRecipient('busy@example.com', 451, 'Try again later');
    const outcome = await channel.send(message({ to: 'busy@example.com', messageKey: 'delivery-451' }));
    expect(outcome).toMatchObject({ kind: 'retry', code: '451' });
    expect(outcome.kind !== 'accepted' && outcome.message).toContain('Try again later');
  });

  it('answers retry (connection refused) when the server is gone', async () => {
    const gone = new SmtpCapture();
    await gone.start();
    const url = gone.url;
    await gone.stop();
    const orphan = new SmtpEmailChannel(options(url));
    try {
      await expect(orphan.send(message({ messageKey: 'delivery-refused' }))).resolves.toMatchObject({ kind: 'retry', code: 'ECONNREFUSED' });
    } finally {
      orphan.close();
    }
  });

  it('answers retry on a pooled channel whose server stopped after it had delivered', async () => {
    const server = new SmtpCapture();
    await server.start();
    const pooled = new SmtpEmailChannel(options(server.url));
    try {
      await expect(pooled.send(message({ messageKey: 'delivery-before-stop' }))).resolves.toMatchObject({ kind: 'accepted' });
      await server.waitFor(1);
      await server.stop();
      // Usually ECONNREFUSED (a new connection); the pool may instead catch its old socket closing (421, ECONNECTION):
      // the kind is what callers act on, so that is what this asserts.
      await expect(pooled.send(message({ messageKey: 'delivery-after-stop' }))).resolves.toMatchObject({ kind: 'retry' });
    } finally {
      pooled.close();
    }
  });
});
