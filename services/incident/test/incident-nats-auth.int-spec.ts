import { jetstreamManager } from '@nats-io/jetstream';
import { headers, type MsgHdrs } from '@nats-io/nats-core';
import type { RunningIncidentService } from '../src/incident-app';
import { KEYS, natsAuth, startTestService, testConfig, partsOf, stopTestService } from './incident-harness';

/** `incident.v1.cmd.*` over real NATS: the actor comes from the `Authorization: Bearer <key>` message header only. */
describe('incident NATS commands: identity from the Authorization header', () => {
  let service: RunningIncidentService;

  beforeAll(async () => {
    service = await startTestService(testConfig());
  });
  afterAll(async () => {
    await stopTestService(service);
  });

  const subject = (command: string) => `${partsOf(service).config.INCIDENT_COMMAND_SUBJECT_PREFIX}.${command}`;
  /** `h` undefined = a request without headers. */
  const send = async (command: string, body: unknown, h: MsgHdrs | undefined) =>
    (await partsOf(service).nc.request(subject(command), JSON.stringify(body), { timeout: 5000, headers: h })).json<any>();
  const storedCommits = async () => (await (await jetstreamManager(partsOf(service).nc)).streams.info(partsOf(service).config.INCIDENT_STREAM)).state.messages;
  const eventsOf = (id: string) => partsOf(service).events.readEvents(id);

  it('runs a command with a valid non-admin key and records it as that person', async () => {
    const declared = await send('declare', { title: 'NATS as bob', severity: 'SEV3' }, natsAuth(KEYS.bob));
    expect(declared).toMatchObject({ ok: true, created: true, events: ['IncidentDeclared'] });
    await expect(send('join', { incidentId: declared.incidentId }, natsAuth(KEYS.carol))).resolves.toMatchObject({ ok: true, events: ['ResponderJoined'] });
    const events = await eventsOf(declared.incidentId);
    expect(events.map((e) => [e.type, e.actor])).toEqual([
      ['IncidentDeclared', { person: 'bob', team: 'sre', admin: false }],
      ['ResponderJoined', { person: 'carol', team: 'sre', admin: false }],
    ]);
    expect(events[0].data).toMatchObject({ commander: 'bob' });
  });

  it('a service key acts as the service actor (alerting declaring for an alert group)', async () => {
    const declared = await send(
      'declare',
      { title: 'HighLatency on api', severity: 'SEV2', commander: 'alice', idempotencyKey: `grp-${Date.now()}`, alert: { fingerprint: 'fp-9' } },
      natsAuth(KEYS.alerting),
    );
    expect(declared).toMatchObject({ ok: true, created: true, events: ['IncidentDeclared', 'AlertLinked'] });
    expect((await eventsOf(declared.incidentId)).map((e) => e.actor.person)).toEqual(['alerting', 'alerting']);
  });

  it('accepts the header name in any case', async () => {
    const h = headers();
    h.set('authorization', `bearer ${KEYS.dave}`);
    const declared = await send('declare', { title: 'lower-case header', severity: 'SEV4' }, h);
    expect(declared).toMatchObject({ ok: true });
    expect((await eventsOf(declared.incidentId))[0].actor.person).toBe('dave');
  });

  it('refuses a payload that claims an actor, even next to a valid key, and appends nothing', async () => {
    const { incidentId } = await send('declare', { title: 'claimed actor', severity: 'SEV3' }, natsAuth(KEYS.alice));
    const before = await storedCommits();
    const claims = { actor: { person: 'root', admin: true } };
    for (const [command, body] of [
      ['declare', { title: 'I am root', severity: 'SEV1', ...claims }],
      ['transfer-command', { incidentId, to: 'mallory', ...claims }],
      ['add-note', { incidentId, text: 'as root', ...claims }],
    ] as const) {
      for (const h of [natsAuth(KEYS.bob), undefined]) {
        expect(await send(command, body, h)).toEqual({
          ok: false,
          error: { status: 400, code: 'actor_in_payload', message: expect.stringMatching(/must not carry "actor": the identity comes from the Authorization header/) },
        });
      }
    }
    expect(await storedCommits()).toBe(before);
    expect((await eventsOf(incidentId)).map((e) => e.type)).toEqual(['IncidentDeclared']);
  });

  it('an admin-only action (transferring command when not the IC) is 403 with a non-admin key and succeeds with an admin key', async () => {
    const { incidentId } = await send('declare', { title: 'admin only', severity: 'SEV2' }, natsAuth(KEYS.alice));
    const refused = await send('transfer-command', { incidentId, to: 'bob' }, natsAuth(KEYS.bob));
    expect(refused).toEqual({
      ok: false,
      error: { status: 403, code: 'only_commander_transfers_command', message: 'only the incident commander (alice) or an admin may transfer command' },
    });
    expect(await send('transfer-command', { incidentId, to: 'bob' }, natsAuth(KEYS.root))).toEqual({ ok: true, incidentId, events: ['CommandTransferred'] });
    const transfer = (await eventsOf(incidentId)).find((e) => e.type === 'CommandTransferred')!;
    expect(transfer).toMatchObject({ actor: { person: 'root', admin: true }, data: { from: 'alice', to: 'bob' } });
  });

  it('answers 401 unauthorized for a missing, malformed or unknown key, and appends nothing', async () => {
    const before = await storedCommits();
    const body = { title: 'nobody', severity: 'SEV3' };
    const basic = headers();
    basic.set('Authorization', 'Basic YWxpY2U6eA==');
    const twice = natsAuth(KEYS.alice);
    twice.append('Authorization', `Bearer ${KEYS.root}`);
    const cases: [MsgHdrs | undefined, RegExp][] = [
      [undefined, /^missing API key: send "Authorization: Bearer <api key>"$/],
      [headers(), /^missing API key/],
      [basic, /^Authorization header must be "Bearer <api key>"$/],
      [natsAuth('key-nobody-0001'), /^unknown API key$/],
      [twice, /exactly one Authorization header/],
    ];
    for (const [h, message] of cases) {
      expect(await send('declare', body, h)).toEqual({ ok: false, error: { status: 401, code: 'unauthorized', message: expect.stringMatching(message) } });
    }
    expect(await storedCommits()).toBe(before);
  });

  it('still names an unknown command or a bad payload (after authentication for the latter)', async () => {
    expect(await send('explode', {}, undefined)).toMatchObject({ ok: false, error: { status: 404, code: 'unknown_command' } });
    expect(await send('declare', { severity: 'SEV5' }, natsAuth(KEYS.alice))).toEqual({
      ok: false,
      error: { status: 400, code: 'invalid_request', message: expect.stringMatching(/^invalid declare command: title: .*severity: /) },
    });
    expect(await send('declare', { severity: 'SEV5' }, undefined)).toMatchObject({ ok: false, error: { status: 401 } });
  });
});
