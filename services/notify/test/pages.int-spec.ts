import * as fs from 'node:fs';
import { createServer } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager, RetentionPolicy, StorageType, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { DeliveryEventSchema, IncidentEventVersions, type AlertEvent, type DeliveryEvent } from '@vigil/contracts';
import { JetStreamEventStore } from '@vigil/eventstore';
import { connectNats, createRedis, startService, type RunningService } from '@vigil/platform';
import { infraEnv, uniqueName, waitFor } from '@vigil/testing';
import { twilioSignature } from '../src/channels/sms';
import { notifyService } from '../src/notify.service';
import { queueStuckEvent } from './support/alert-event';
import { FakeTwilio } from './support/fake-twilio';
import { SmtpCapture } from './support/smtp-capture';

/**
 * Pages end to end: alert events published on a test ALERTS stream reach notify (in-process, real NATS and Redis),
 * which pages the directory's people by SMS (a Twilio-compatible server) and email (a capturing SMTP server), once
 * per (event, person, channel); the log and NOTIFY's delivery events say what happened.
 */
const id = uniqueName('nt');
const alertsStream = `ALERTS_${id}`;
const notifyStream = `NOTIFY_${id}`;
const incidentStream = `INCIDENTS_${id}`;
const subscriptionStream = `SUBS_${id}`;
const prefix = `${id}.`;

const DIRECTORY = `
people:
  - { id: alice, name: Alice, email: alice@example.com, phone: "+14155550100" }
  - { id: bob, name: Bob, phone: "+14155550101" }
  - { id: mallory, name: Mallory, phone: "+14155550199" }
teams:
  - { id: platform, name: Platform, members: [alice, bob], on_call: [alice, bob] }
stakeholders:
  - { people: [alice, bob], min_severity: SEV2, sms: true }
  - { people: [mallory], components: [billing] }
escalation_policies:
  - { id: ops, name: Ops, levels: [{ delay_minutes: 10, targets: [{ person: alice }] }, { delay_minutes: 10, targets: [{ person: bob }] }] }
`;

function alertEvent(eventId: string, targets: AlertEvent['targets'], status: AlertEvent['status'] = 'firing'): AlertEvent {
  return queueStuckEvent({ id: eventId, targets, status, groupKey: `{}:{alertname="QueueStuck",run="${id}"}` });
}

/** A port free now, for a notify whose public URL (signed status callbacks) must be known before it starts. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

type Delivery = { id: string; kind: string; recipient: string; channel: string; status: string; attempts: number; error?: string; providerId?: string; sourceEventId: string };

describe('notify: alert events page people by SMS and email, once each', () => {
  const twilio = new FakeTwilio({ accountSid: 'ACtest', authToken: 'twilio-secret' });
  const smtp = new SmtpCapture();
  let nc: NatsConnection;
  let js: JetStreamClient;
  let jsm: JetStreamManager;
  let dir: string;
  let notify: RunningService<unknown>;
  let seq = 0;
  let publicUrl = '';

  const publish = async (event: AlertEvent, msgId = `${event.id}#${++seq}`) => {
    await js.publish(`${prefix}alerts.v1.${event.status}`, JSON.stringify(event), { msgID: msgId });
  };
  const deliveries = async (query = '') => ((await (await fetch(`${notify.url}/api/v1/deliveries?limit=1000${query}`)).json()) as { deliveries: Delivery[] }).deliveries;
  const ofEvent = async (eventId: string) => (await deliveries()).filter((d) => d.sourceEventId === eventId);

  beforeAll(async () => {
    await twilio.start();
    await smtp.start();
    nc = await connectNats(infraEnv.natsUrl, 'notify-test');
    js = jetstream(nc);
    jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: subscriptionStream, subjects: [`${id}.status.sub.>`], storage: StorageType.Memory, retention: RetentionPolicy.Limits });
    await jsm.streams.add({ name: alertsStream, subjects: [`${prefix}alerts.v1.>`], storage: StorageType.Memory, retention: RetentionPolicy.Limits, duplicate_window: 60_000_000_000 });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-notify-'));
    fs.writeFileSync(path.join(dir, 'directory.yml'), DIRECTORY);
    const port = await freePort();
    publicUrl = `http://127.0.0.1:${port}`;
    notify = await startService(notifyService, {
      env: {
        NATS_URL: infraEnv.natsUrl,
        REDIS_URL: infraEnv.redisUrl,
        NOTIFY_PORT: String(port),
        NOTIFY_PUBLIC_URL: `http://127.0.0.1:${port}`,
        VIGIL_DIRECTORY_FILE: path.join(dir, 'directory.yml'),
        NOTIFY_TEMPLATES_DIR: 'deploy/notify/templates',
        NOTIFY_REDIS_PREFIX: `${id}:`,
        NOTIFY_ALERTS_STREAM: alertsStream,
        NOTIFY_ALERTS_SUBJECT_PREFIX: prefix,
        NOTIFY_CONSUMER: `notify_${id}`,
        NOTIFY_STREAM: notifyStream,
        NOTIFY_SUBJECT_PREFIX: prefix,
        NOTIFY_INCIDENT_STREAM: incidentStream,
        NOTIFY_INCIDENT_SUBJECT_PREFIX: `${id}.incident.events`,
        NOTIFY_INCIDENT_CONSUMER: `notify_${id}`,
        NOTIFY_INCIDENT_URL: 'http://incident.test',
        NOTIFY_SUBSCRIPTION_STREAM: subscriptionStream,
        NOTIFY_SUBSCRIPTION_SUBJECT_PREFIX: `${id}.status.sub`,
        NOTIFY_SERVICE_NAME: 'Example Cloud',
        NOTIFY_STATUS_PAGE_URL: 'http://status.test/status',
        NOTIFY_BACKOFF_BASE_MS: '200',
        NOTIFY_BACKOFF_MAX_MS: '1000',
        SMS_API_URL: twilio.url,
        SMS_ACCOUNT_SID: 'ACtest',
        SMS_AUTH_TOKEN: 'twilio-secret',
        SMS_FROM: '+15005550006',
        SMTP_URL: smtp.url,
        NOTIFY_EMAIL_FROM: 'Vigil <vigil@example.com>',
        NOTIFY_EMAIL_DOMAIN: 'vigil.test',
        LOG_LEVEL: 'error',
      },
    });
  });

  afterAll(async () => {
    await notify?.close();
    for (const name of [alertsStream, notifyStream, incidentStream, subscriptionStream]) await jsm?.streams.delete(name).catch(() => undefined);
    await nc?.close();
    await twilio.stop();
    await smtp.stop();
    const redis = createRedis(infraEnv.redisUrl, 'notify-test-cleanup');
    const keys = await redis.keys(`${id}:*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("pages the team's on-call by SMS and email once, also when the event comes again", async () => {
    const event = alertEvent(`${id}-fire-1`, [{ kind: 'team', id: 'platform' }, { kind: 'person', id: 'alice' }]);
    await publish(event);
    const mails = await smtp.waitFor(1);
    const sent = await waitFor(() => ofEvent(event.id), (ds) => ds.length === 3 && ds.every((d) => d.status === 'sent'), { timeoutMs: 30_000, what: 'three deliveries sent' });
    expect(sent.map((d) => `${d.recipient}/${d.channel}`).sort()).toEqual(['alice/email', 'alice/sms', 'bob/sms']);

    const sms = [...twilio.messages.values()];
    expect(sms.map((m) => m.to).sort()).toEqual(['+14155550100', '+14155550101']);
    expect(sms[0]).toMatchObject({ from: '+15005550006', body: '[FIRING] QueueStuck (critical): mail queue stuck for 5m', statusCallback: `${notify.url.replace('localhost', '127.0.0.1')}/api/v1/sms/status` });
    expect(mails[0]!.envelope.to).toEqual(['alice@example.com']);
    expect(mails[0]!.subject).toBe('[FIRING] QueueStuck (critical): mail queue stuck for 5m');
    expect(mails[0]!.text).toContain('Graph: http://127.0.0.1:9090/graph?g0.expr=mail_queue_depth');

    // The same event again (a redelivery, or alerting publishing it anew past the duplicate window): nothing new.
    await publish(event);
    const again = alertEvent(`${id}-fire-2`, [{ kind: 'person', id: 'bob' }]);
    await publish(again);
    await waitFor(() => ofEvent(again.id), (ds) => ds.length === 1 && ds[0]!.status === 'sent', { timeoutMs: 30_000, what: 'the next event handled' });
    // Events are handled in order by the one consumer: once the next one is sent, the repeat was handled too.
    expect(twilio.messages.size).toBe(3);
    expect(smtp.messages).toHaveLength(1);
    expect((await ofEvent(event.id)).map((d) => d.attempts)).toEqual([1, 1, 1]);
  });

  it('records an invalid number as a permanent failure without holding back the others', async () => {
    twilio.respondFor('+14155550199', { status: 400, code: 21211, message: "The 'To' number +14155550199 is not a valid phone number." });
    const event = alertEvent(`${id}-invalid`, [{ kind: 'person', id: 'mallory' }, { kind: 'person', id: 'bob' }]);
    await publish(event);
    const ds = await waitFor(() => ofEvent(event.id), (list) => list.length === 2 && list.every((d) => d.status !== 'sending'), { timeoutMs: 30_000, what: 'both deliveries decided' });
    expect(ds.find((d) => d.recipient === 'mallory')).toMatchObject({ status: 'failed', attempts: 1, error: expect.stringContaining('21211') });
    expect(ds.find((d) => d.recipient === 'bob')?.status).toBe('sent');
    expect((await deliveries('&recipient=mallory&status=failed')).map((d) => d.sourceEventId)).toEqual([event.id]);
  });

  it('delivers everything once after a provider outage (503), none twice', async () => {
    twilio.setOutage(true);
    const event = alertEvent(`${id}-outage`, [{ kind: 'team', id: 'platform' }]);
    const before = twilio.messages.size;
    await publish(event);
    await waitFor(() => ofEvent(event.id), (ds) => ds.filter((d) => d.channel === 'sms').some((d) => d.status === 'retrying' && d.attempts >= 2), { timeoutMs: 30_000, what: 'SMS retrying through the outage' });
    twilio.setOutage(false);
    const ds = await waitFor(() => ofEvent(event.id), (list) => list.length === 3 && list.every((d) => d.status === 'sent'), { timeoutMs: 30_000, what: 'all sent after the outage' });
    expect(twilio.messages.size - before).toBe(2);
    expect(ds.filter((d) => d.channel === 'sms').every((d) => d.attempts >= 2)).toBe(true);
  });

  it('moves an SMS to delivered on the signed status callback, and refuses an unsigned one', async () => {
    const [sid] = [...twilio.messages.keys()];
    const callback = await twilio.deliver(sid!, 'delivered');
    expect(callback.result).toBe(204);
    await waitFor(() => deliveries('&status=delivered'), (ds) => ds.some((d) => d.providerId === sid), { timeoutMs: 10_000, what: 'the SMS delivered in the log' });
    const forged = await fetch(`${notify.url}/api/v1/sms/status`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': 'forged' },
      body: new URLSearchParams({ MessageSid: sid!, MessageStatus: 'failed', AccountSid: 'ACtest' }),
    });
    expect(forged.status).toBe(403);
    expect(await forged.json()).toMatchObject({ error: { code: 'bad_signature', message: expect.stringContaining('X-Twilio-Signature') } });
  });

  it('publishes each status change on notify.v1.delivery.<status>', async () => {
    await jsm.consumers.add(notifyStream, { durable_name: 'check', ack_policy: AckPolicy.None, deliver_policy: DeliverPolicy.All });
    const consumer = await js.consumers.get(notifyStream, 'check');
    const info = await jsm.streams.info(notifyStream);
    const events: DeliveryEvent[] = [];
    const messages = await consumer.fetch({ max_messages: info.state.messages, expires: 5_000 });
    for await (const m of messages) {
      events.push(DeliveryEventSchema.parse(m.json()));
      if (events.length === info.state.messages) break;
    }
    const subjects = new Set(events.map((e) => e.status));
    expect([...subjects].sort()).toEqual(['delivered', 'failed', 'retrying', 'sent']);
    const first = events.filter((e) => e.sourceEventId === `${id}-fire-1` && e.status === 'sent');
    expect(first).toHaveLength(3);
    expect(first[0]).toMatchObject({ version: '1', kind: 'page', groupKey: `{}:{alertname="QueueStuck",run="${id}"}`, attempts: 1, providerId: expect.any(String) });
  });

  it('pages an escalation policy with an acknowledge code and link; an SMS reply ACK <code> stops it', async () => {
    const before = twilio.messages.size;
    const mailsBefore = smtp.messages.length;
    const event = alertEvent(`${id}-escalate`, [{ kind: 'escalation_policy', id: 'ops' }]);
    await publish(event);
    const [mail] = (await smtp.waitFor(mailsBefore + 1)).slice(mailsBefore);
    await waitFor(async () => twilio.messages.size, (n) => n === before + 1, { timeoutMs: 10_000, what: 'the level 1 SMS' });
    const sms = [...twilio.messages.values()].at(-1)!;
    expect(sms.to).toBe('+14155550100');
    const match = /Reply ACK ([2-9A-HJKMNP-Z]{6}) or open (http:\/\/\S+)$/.exec(sms.body);
    expect(match).not.toBeNull();
    const [, code, link] = match!;
    expect(mail!.text).toContain(`Acknowledge: ${link}`);
    expect(mail!.subject).toBe('[FIRING] QueueStuck (critical): mail queue stuck for 5m');

    const inboundUrl = `${publicUrl}/api/v1/sms/inbound`;
    const form = { From: '+14155550100', To: '+15005550006', Body: `ack ${code!.toLowerCase()}`, MessageSid: 'SMinbound1', AccountSid: 'ACtest' };
    const reply = await fetch(inboundUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilioSignature('twilio-secret', inboundUrl, form) },
      body: new URLSearchParams(form),
    });
    expect(reply.status).toBe(200);
    expect(await reply.text()).toBe('<?xml version="1.0" encoding="UTF-8"?><Response><Message>Acknowledged, Alice: the escalation stopped.</Message></Response>');
    // The link of the email, opened after: already acknowledged (by Alice, by SMS).
    const page = await fetch(link!);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('This page was already acknowledged by alice.');
    const forged = await fetch(`${notify.url}/api/v1/ack`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: 'abc.def' }) });
    expect(forged.status).toBe(401);
    const unsigned = await fetch(inboundUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form) });
    expect(unsigned.status).toBe(403);
  });

  it("sends the IC's sitrep to the incident's stakeholders: email to all, SMS for SEV1/SEV2 to those who opted in", async () => {
    const store = await JetStreamEventStore.open(nc, { stream: incidentStream, subjectPrefix: `${id}.incident.events` });
    const incidentId = `INC-${id.slice(-6)}`;
    const envelope = (n: number, type: string, data: unknown) => ({ id: `${incidentId}-e${n}`, type, version: IncidentEventVersions[type as keyof typeof IncidentEventVersions], time: Date.now(), incidentId, actor: { person: 'carol', admin: false }, data });
    await store.append(incidentId, [envelope(1, 'IncidentDeclared', { incidentId, title: 'Mail queue stuck', severity: 'SEV1', components: ['mail-queue'], commander: 'carol', declaredAt: Date.now(), sitrepDueAt: null })], 0);
    const mailsBefore = smtp.messages.length;
    const smsBefore = twilio.messages.size;
    const sitrep = envelope(2, 'SitrepPublished', { summary: 'Queue drained to 200.', impact: 'Mail delayed up to 20 minutes.', actions: 'Restarted the relay.', nextSteps: 'Watching for an hour.', nextUpdateDueAt: null });
    await store.append(incidentId, [sitrep], await store.lastSequence(incidentId));
    const [mail] = (await smtp.waitFor(mailsBefore + 1)).slice(mailsBefore);
    const sitreps = await waitFor(() => deliveries(`&incident=${incidentId}`), (ds) => ds.length === 3 && ds.every((d) => d.status === 'sent'), { timeoutMs: 30_000, what: 'the sitrep delivered' });
    // alice by email and SMS, bob by SMS (no email address), mallory not (only billing incidents).
    expect(sitreps.map((d) => `${d.recipient}/${d.channel}`).sort()).toEqual(['alice/email', 'alice/sms', 'bob/sms']);
    expect(mail!.subject).toBe(`[SEV1] ${incidentId} Mail queue stuck: declared`);
    expect(mail!.text).toContain('Impact: Mail delayed up to 20 minutes.');
    expect(mail!.text).toContain(`http://incident.test/api/v1/incidents/${incidentId}`);
    expect(mail!.headers.get('references')).toContain(`thread-${incidentId}@vigil.test`);
    expect(twilio.messages.size - smsBefore).toBe(2);
  });

  it('tells a responder when command is handed to them', async () => {
    const store = await JetStreamEventStore.open(nc, { stream: incidentStream, subjectPrefix: `${id}.incident.events` });
    const incidentId = `IC-${id.slice(-6)}`;
    const envelope = (n: number, type: string, data: unknown) => ({ id: `${incidentId}-e${n}`, type, version: IncidentEventVersions[type as keyof typeof IncidentEventVersions], time: Date.now(), incidentId, actor: { person: 'carol', admin: false }, data });
    await store.append(incidentId, [envelope(1, 'IncidentDeclared', { incidentId, title: 'Disk full', severity: 'SEV3', components: ['db'], commander: 'carol', declaredAt: Date.now(), sitrepDueAt: null })], 0);
    const mailsBefore = smtp.messages.length;
    await store.append(incidentId, [envelope(2, 'CommandTransferred', { from: 'carol', to: 'alice' })], await store.lastSequence(incidentId));
    const [mail] = (await smtp.waitFor(mailsBefore + 1)).slice(mailsBefore);
    expect(mail!.envelope.to).toEqual(['alice@example.com']);
    expect(mail!.subject).toBe(`[SEV3] ${incidentId} Disk full: You are now the Incident Commander (handed over by carol).`);
    const ds = await waitFor(() => deliveries(`&incident=${incidentId}`), (list) => list.length === 2 && list.every((d) => d.status === 'sent'), { timeoutMs: 10_000, what: 'alice told by SMS and email' });
    expect(ds.map((d) => `${d.recipient}/${d.channel}/${d.kind}`).sort()).toEqual(['alice/email/incident-responder', 'alice/sms/incident-responder']);
  });

  it('customers: double opt-in confirmation, then every update by email to 1,000 subscribers once each, SMS only on create and resolve, never after STOP', async () => {
    const store = await JetStreamEventStore.open(nc, { stream: incidentStream, subjectPrefix: `${id}.incident.events` });
    const subscription = (type: string, n: number | string, channel: 'email' | 'sms', extra: Record<string, unknown> = {}) =>
      js.publish(`${id}.status.sub.${type}`, JSON.stringify({ type, subscriptionId: `sub-${n}`, channel, address: channel === 'sms' ? '+14155550177' : `customer${n}@example.net`, unsubscribeUrl: `http://status.test/unsubscribe?t=${n}`, at: 1, ...extra }));
    const mailsBefore = smtp.messages.length;
    await subscription('requested', 'new', 'email', { confirmUrl: 'http://status.test/confirm?t=new' });
    const [confirm] = (await smtp.waitFor(mailsBefore + 1)).slice(mailsBefore);
    expect(confirm!.subject).toBe('Confirm your subscription to Example Cloud status updates');
    expect(confirm!.text).toContain('Confirm: http://status.test/confirm?t=new');
    expect(confirm!.headers.get('list-unsubscribe')).toBe('<http://status.test/unsubscribe?t=new>');

    for (let i = 0; i < 1000; i++) await subscription('confirmed', i, 'email');
    await subscription('confirmed', 'phone', 'sms');
    const redis = createRedis(infraEnv.redisUrl, 'notify-test-subs');
    await waitFor(() => redis.hlen(`${id}:subs`), (n) => n === 1001, { timeoutMs: 30_000, what: '1,001 subscribers stored' });

    const incidentId = `CUS-${id.slice(-6)}`;
    const envelope = (n: number, type: string, data: unknown) => ({ id: `${incidentId}-e${n}`, type, version: IncidentEventVersions[type as keyof typeof IncidentEventVersions], time: Date.now(), incidentId, actor: { person: 'carol', admin: false }, data });
    await store.append(incidentId, [envelope(1, 'IncidentDeclared', { incidentId, title: 'Elevated API errors', severity: 'SEV3', components: ['api'], commander: 'carol', declaredAt: Date.now(), sitrepDueAt: null })], 0);
    const beforeUpdate = smtp.messages.length;
    const smsBefore = twilio.messages.size;
    await store.append(incidentId, [envelope(2, 'CustomerUpdatePosted', { status: 'investigating', message: 'We are looking into elevated error rates.' })], await store.lastSequence(incidentId));
    const mails = (await smtp.waitFor(beforeUpdate + 1000)).slice(beforeUpdate);
    await waitFor(() => deliveries(`&incident=${incidentId}`), (ds) => ds.length === 1000 && ds.every((d) => d.status === 'sent'), { timeoutMs: 60_000, what: 'the update delivered' });
    const to = mails.map((m) => m.envelope.to[0]);
    expect(new Set(to).size).toBe(1000);
    expect(mails[0]!.subject).toBe('Example Cloud status: Elevated API errors (investigating)');
    expect(mails[0]!.headers.get('list-unsubscribe')).toMatch(/^<http:\/\/status\.test\/unsubscribe\?t=\d+>$/);
    await waitFor(async () => twilio.messages.size, (n) => n === smsBefore + 1, { timeoutMs: 10_000, what: 'the SMS of the first update' });
    expect([...twilio.messages.values()].at(-1)!.body).toContain('Example Cloud: Elevated API errors (investigating).');

    // 990 leave; the next update reaches the 10 others by email and no one by SMS (not a create or a resolve).
    for (let i = 10; i < 1000; i++) await subscription('cancelled', i, 'email');
    await waitFor(() => redis.hlen(`${id}:subs`), (n) => n === 11, { timeoutMs: 30_000, what: '990 subscribers removed' });
    const beforeSecond = smtp.messages.length;
    await store.append(incidentId, [envelope(3, 'CustomerUpdatePosted', { status: 'monitoring', message: 'A fix is out.' })], await store.lastSequence(incidentId));
    await smtp.waitFor(beforeSecond + 10);
    // The phone replies STOP; the resolution (which would text) then reaches email only.
    const inboundUrl = `${publicUrl}/api/v1/sms/inbound`;
    const stop = { From: '+14155550177', To: '+15005550006', Body: 'STOP', MessageSid: 'SMstop', AccountSid: 'ACtest' };
    const stopped = await fetch(inboundUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilioSignature('twilio-secret', inboundUrl, stop) }, body: new URLSearchParams(stop) });
    expect(stopped.status).toBe(200);
    const beforeResolved = smtp.messages.length;
    await store.append(incidentId, [envelope(4, 'CustomerUpdatePosted', { status: 'resolved', message: 'Resolved.' })], await store.lastSequence(incidentId));
    await smtp.waitFor(beforeResolved + 10);
    const resolvedOnes = (ds: Delivery[]) => ds.filter((d) => d.sourceEventId === `${incidentId}-e4`);
    const last = await waitFor(() => deliveries(`&incident=${incidentId}`), (ds) => resolvedOnes(ds).length === 10 && resolvedOnes(ds).every((d) => d.status === 'sent'), { timeoutMs: 30_000, what: 'the resolution delivered' });
    expect(resolvedOnes(last).every((d) => d.channel === 'email')).toBe(true);
    expect(twilio.messages.size).toBe(smsBefore + 1);
    expect(smtp.messages.length - beforeUpdate).toBe(1020);
    await redis.quit();
  });

  it('answers who is on call at a time, and names a bad time', async () => {
    const body = (await (await fetch(`${notify.url}/api/v1/oncall?at=2026-12-04T12:00:00Z`)).json()) as { at: string; teams: unknown[] };
    expect(body).toEqual({ at: '2026-12-04T12:00:00.000Z', schedules: [], teams: [{ id: 'platform', name: 'Platform', onCall: ['alice', 'bob'] }] });
    const bad = await fetch(`${notify.url}/api/v1/oncall?at=yesterday`);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('neither RFC 3339 nor Unix seconds');
  });

  it('lists and previews the templates, naming a missing variable', async () => {
    const list = (await (await fetch(`${notify.url}/api/v1/templates`)).json()) as { templates: { name: string; channels: string[] }[] };
    expect(list.templates.map((t) => t.name)).toContain('sitrep');
    const sample = (await (await fetch(`${notify.url}/api/v1/templates/sitrep/preview?channel=sms`)).json()) as { text: string };
    expect(sample.text).toContain('INC-1042');
    const given = await fetch(`${notify.url}/api/v1/templates/subscription-confirm/preview`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ channel: 'email', vars: { service: { name: 'Acme' }, links: { confirm: 'http://c', unsubscribe: 'http://u' } } }),
    });
    expect(given.status).toBe(200);
    expect(await given.json()).toMatchObject({ name: 'subscription-confirm', channel: 'email', subject: 'Confirm your subscription to Acme status updates' });
    const missing = await fetch(`${notify.url}/api/v1/templates/subscription-confirm/preview`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ vars: {} }) });
    expect(missing.status).toBe(422);
    expect(JSON.stringify(await missing.json())).toContain('service.name');
    expect((await fetch(`${notify.url}/api/v1/templates/nope/preview`)).status).toBe(404);
  });

  it('answers the delivery log filters, and names a bad one', async () => {
    expect((await deliveries('&recipient=alice')).every((d) => d.recipient === 'alice')).toBe(true);
    const bad = await fetch(`${notify.url}/api/v1/deliveries?status=lost`);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('status');
  });
});
