import { createRedis, type Redis } from '@vigil/platform';
import { infraEnv, uniqueName } from '@vigil/testing';
import { fingerprint } from '../src/alertmanager/labels';
import { parseMatchers } from '../src/alertmanager/matchers';
import { RedisAlertStore } from '../src/alertmanager/alert-store/redis-alert-store';
import { AlertmanagerMaintenance } from '../src/alertmanager/alertmanager-maintenance';
import { RedisSilenceStore } from '../src/alertmanager/silences/redis-silence-store';
import { AlertmanagerHarness, call } from './support/alertmanager-harness';

/**
 * The Alertmanager API v2 of alerting against real Redis: alerts posted and queried with every filter, silences
 * created, changed and expired, Alertmanager's error shapes, and all of it still there after a restart.
 */
const iso = (ms: number) => new Date(ms).toISOString();
const H = 3_600_000;

describe('Alertmanager API v2', () => {
  const am = new AlertmanagerHarness({}, 'team-ops');
  const v2 = (p: string) => `${am.url}/api/v2${p}`;

  beforeAll(async () => {
    await am.start();
  });
  afterAll(async () => {
    await am.dispose();
  });

  const silenceBody = (matchers: { name: string; value: string; isRegex: boolean; isEqual?: boolean }[], change: Record<string, unknown> = {}) => ({
    matchers,
    startsAt: iso(Date.now() - 60_000),
    endsAt: iso(Date.now() + H),
    createdBy: 'ann',
    comment: 'maintenance',
    ...change,
  });

  it('stores posted alerts and answers them as GettableAlerts, with every filter', async () => {
    const now = Date.now();
    const posted = await call(v2('/alerts'), {
      body: [
        { labels: { alertname: 'DiskFull', instance: 'db1', severity: 'page' }, annotations: { summary: 'db1 is full' }, startsAt: iso(now - 60_000), generatorURL: 'http://prom/graph?g0.expr=x' },
        { labels: { alertname: 'CpuHigh', instance: 'web1', severity: 'warn', empty: '' }, endsAt: iso(now + H) },
        { labels: { alertname: 'Gone', instance: 'old' }, startsAt: iso(now - H), endsAt: iso(now - 60_000) },
      ],
    });
    expect([posted.status, posted.text]).toEqual([200, '']);

    const all = await call(v2('/alerts'));
    expect(all.status).toBe(200);
    // The resolved one is stored but never listed; the list is sorted by fingerprint.
    expect(all.body.map((a: { labels: { alertname: string } }) => a.labels.alertname).sort()).toEqual(['CpuHigh', 'DiskFull']);
    expect(all.body.map((a: { fingerprint: string }) => a.fingerprint)).toEqual([...all.body.map((a: { fingerprint: string }) => a.fingerprint)].sort());
    const disk = all.body.find((a: { labels: { alertname: string } }) => a.labels.alertname === 'DiskFull');
    expect(disk).toEqual({
      labels: { alertname: 'DiskFull', instance: 'db1', severity: 'page' },
      annotations: { summary: 'db1 is full' },
      startsAt: iso(now - 60_000),
      endsAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      updatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      generatorURL: 'http://prom/graph?g0.expr=x',
      fingerprint: fingerprint({ alertname: 'DiskFull', instance: 'db1', severity: 'page' }),
      receivers: [{ name: 'team-ops' }],
      status: { state: 'active', silencedBy: [], inhibitedBy: [], mutedBy: [] },
    });
    // No endsAt given: it resolves after the resolve timeout (5 min by default) unless re-sent.
    const endsIn = Date.parse(disk.endsAt) - Date.parse(disk.updatedAt);
    expect(endsIn).toBe(5 * 60_000);
    const cpu = all.body.find((a: { labels: { alertname: string } }) => a.labels.alertname === 'CpuHigh');
    expect(cpu.labels).toEqual({ alertname: 'CpuHigh', instance: 'web1', severity: 'warn' });
    expect(cpu.endsAt).toBe(iso(now + H));
    expect(cpu.generatorURL).toBeUndefined();

    const names = async (query: string) => (await call(v2(`/alerts?${query}`))).body.map((a: { labels: { alertname: string } }) => a.labels.alertname).sort();
    expect(await names('filter=severity%3D%22page%22')).toEqual(['DiskFull']);
    expect(await names(`filter=${encodeURIComponent('alertname=~"Disk.*|Cpu.*"')}&filter=${encodeURIComponent('instance!=db1')}`)).toEqual(['CpuHigh']);
    expect(await names('receiver=team-.*')).toEqual(['CpuHigh', 'DiskFull']);
    expect(await names('receiver=team')).toEqual([]);
    expect(await names('active=false')).toEqual([]);

    const badFilter = await call(v2('/alerts?filter=justaname'));
    expect(badFilter.status).toBe(400);
    expect(typeof badFilter.body).toBe('string');
    const badBool = await call(v2('/alerts?silenced=perhaps'));
    expect([badBool.status, badBool.body]).toEqual([422, { code: 601, message: 'silenced in query must be of type boolean: "perhaps"' }]);
  });

  it('stores the valid alerts of a batch, refuses the rest with 400 and counts them', async () => {
    const metric = async () => Number(/^alerting_api_alerts_invalid_total(?:\{[^}]*\})? (\d+)/m.exec((await call(`${am.url}/metrics`)).text)?.[1] ?? 0);
    const before = await metric();
    const r = await call(v2('/alerts'), {
      body: [{ labels: {} }, { labels: { alertname: 'Fine' } }, { labels: { 'bad-name': 'x' } }, { labels: { alertname: 'Late' }, startsAt: iso(Date.now()), endsAt: iso(Date.now() - H) }],
    });
    expect(r.status).toBe(400);
    expect(r.body).toBe('at least one label pair required; invalid label set: invalid name "bad-name"; start time must be before end time');
    expect(await metric()).toBe(before + 3);
    const listed = await call(v2(`/alerts?filter=${encodeURIComponent('alertname="Fine"')}`));
    expect(listed.body).toHaveLength(1);
  });

  it('refuses bodies the spec rejects before storing anything, as go-swagger does', async () => {
    const missing = await call(v2('/alerts'), { body: [{ labels: { alertname: 'NotStored' } }, { annotations: { a: 'b' } }] });
    expect([missing.status, missing.body]).toEqual([422, { code: 602, message: '1.labels in body is required' }]);
    const wrongType = await call(v2('/alerts'), { body: [{ labels: { alertname: 'NotStored', n: 1 } }] });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body).toEqual({ code: 400, message: 'parsing alerts body from "" failed, because json: cannot unmarshal number into 0.labels.n of type string' });
    const malformed = await call(v2('/alerts'), { raw: '[{"labels": ' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe(400);
    expect(malformed.body.message).toMatch(/^parsing alerts body from "" failed, because /);
    expect((await call(v2(`/alerts?filter=${encodeURIComponent('alertname="NotStored"')}`))).body).toEqual([]);
    const unknown = await call(v2('/nothing-here'));
    expect([unknown.status, unknown.body]).toEqual([404, { code: 404, message: 'path /api/v2/nothing-here was not found' }]);
    // /api/v1 keeps Prometheus' envelope.
    expect((await call(`${am.url}/api/v1/nothing-here`)).body).toMatchObject({ status: 'error' });
  });

  it('creates, reads, changes and expires silences, and silenced alerts show it', async () => {
    const created = await call(v2('/silences'), { body: silenceBody([{ name: 'alertname', value: 'DiskFull', isRegex: false }]) });
    expect(created.status).toBe(200);
    const id: string = created.body.silenceID;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);

    const one = await call(v2(`/silence/${id}`));
    expect(one.body).toMatchObject({ id, status: { state: 'active' }, matchers: [{ name: 'alertname', value: 'DiskFull', isRegex: false, isEqual: true }], createdBy: 'ann', comment: 'maintenance' });

    const alerts = await call(v2(`/alerts?filter=${encodeURIComponent('alertname="DiskFull"')}`));
    expect(alerts.body[0].status).toEqual({ state: 'suppressed', silencedBy: [id], inhibitedBy: [], mutedBy: [] });
    const unsilenced = await call(v2('/alerts?silenced=false'));
    expect(unsilenced.body.map((a: { labels: { alertname: string } }) => a.labels.alertname)).not.toContain('DiskFull');

    // Same matchers, later end: changed in place.
    const longer = await call(v2('/silences'), { body: { ...one.body, endsAt: iso(Date.now() + 2 * H), comment: 'longer' } });
    expect(longer.body.silenceID).toBe(id);
    expect((await call(v2(`/silence/${id}`))).body.comment).toBe('longer');

    // Other matchers: the old one expires, a new id carries the change.
    const moved = await call(v2('/silences'), { body: { ...one.body, matchers: [{ name: 'alertname', value: 'Disk.*', isRegex: true }] } });
    const newId: string = moved.body.silenceID;
    expect(newId).not.toBe(id);
    expect((await call(v2(`/silence/${id}`))).body.status.state).toBe('expired');
    expect((await call(v2(`/silence/${newId}`))).body).toMatchObject({ status: { state: 'active' }, matchers: [{ value: 'Disk.*', isRegex: true }] });

    const filtered = await call(v2(`/silences?filter=${encodeURIComponent('alertname=~"Disk.*"')}`));
    expect(filtered.body.map((s: { id: string }) => s.id)).toEqual([newId]);
    const listed = await call(v2('/silences'));
    // Active first, then expired.
    expect(listed.body.map((s: { id: string; status: { state: string } }) => [s.id, s.status.state])).toEqual([
      [newId, 'active'],
      [id, 'expired'],
    ]);

    const deleted = await call(v2(`/silence/${newId}`), { method: 'DELETE' });
    expect([deleted.status, deleted.text]).toEqual([200, '']);
    expect((await call(v2(`/silence/${newId}`))).body.status.state).toBe('expired');
    expect((await call(v2(`/alerts?filter=${encodeURIComponent('alertname="DiskFull"')}`))).body[0].status.state).toBe('active');
  });

  it('refuses bad silences and unknown ids as Alertmanager', async () => {
    const emptyOnly = await call(v2('/silences'), { body: silenceBody([{ name: 'alertname', value: '.*', isRegex: true }]) });
    expect([emptyOnly.status, emptyOnly.body]).toEqual([400, 'silence invalid: at least one matcher must not match the empty string']);
    const past = await call(v2('/silences'), { body: silenceBody([{ name: 'a', value: 'b', isRegex: false }], { startsAt: iso(Date.now() - 2 * H), endsAt: iso(Date.now() - H) }) });
    expect([past.status, past.body]).toEqual([400, "Failed to create silence: end time can't be in the past"]);
    const backwards = await call(v2('/silences'), { body: silenceBody([{ name: 'a', value: 'b', isRegex: false }], { startsAt: iso(Date.now() + H), endsAt: iso(Date.now() + 60_000) }) });
    expect([backwards.status, backwards.body]).toEqual([400, 'Failed to create silence: start time must be before end time']);
    const noMatchers = await call(v2('/silences'), { body: silenceBody([]) });
    expect([noMatchers.status, noMatchers.body]).toEqual([422, { code: 612, message: 'matchers in body should have at least 1 items' }]);
    const unknownId = await call(v2('/silences'), { body: silenceBody([{ name: 'a', value: 'b', isRegex: false }], { id: '00000000-0000-4000-8000-000000000000' }) });
    expect([unknownId.status, unknownId.body]).toEqual([404, 'silence not found']);

    const missing = '11111111-2222-4333-8444-555555555555';
    expect((await call(v2(`/silence/${missing}`))).status).toBe(404);
    expect((await call(v2(`/silence/${missing}`), { method: 'DELETE' })).status).toBe(404);
    const notUuid = await call(v2('/silence/xyz'), { method: 'DELETE' });
    expect([notUuid.status, notUuid.body]).toEqual([422, { code: 601, message: 'silenceID in path must be of type uuid: "xyz"' }]);
  });

  it('answers groups, receivers and status', async () => {
    const groups = await call(v2(`/alerts/groups?filter=${encodeURIComponent('alertname="CpuHigh"')}`));
    expect(groups.body).toEqual([
      {
        labels: { alertname: 'CpuHigh', instance: 'web1', severity: 'warn' },
        receiver: { name: 'team-ops' },
        alerts: [expect.objectContaining({ labels: { alertname: 'CpuHigh', instance: 'web1', severity: 'warn' }, receivers: [{ name: 'team-ops' }] })],
      },
    ]);
    expect((await call(v2('/alerts/groups?receiver=nobody'))).body).toEqual([]);
    expect((await call(v2('/receivers'))).body).toEqual([{ name: 'team-ops' }]);
    const status = await call(v2('/status'));
    expect(status.body).toEqual({
      cluster: { name: expect.any(String), status: 'disabled', peers: [] },
      versionInfo: { version: expect.any(String), revision: expect.any(String), branch: expect.any(String), buildUser: expect.any(String), buildDate: expect.any(String), goVersion: expect.any(String) },
      config: { original: expect.stringContaining('receiver: "team-ops"') },
      uptime: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
  });

  it('keeps alerts and silences across a restart', async () => {
    const before = await call(v2('/silences'));
    const alertsBefore = await call(v2('/alerts'));
    await am.stop();
    await am.start();
    expect((await call(v2('/silences'))).body).toEqual(before.body);
    expect((await call(v2('/alerts'))).body.map((a: { fingerprint: string }) => a.fingerprint)).toEqual(alertsBefore.body.map((a: { fingerprint: string }) => a.fingerprint));
    // GC keeps what is within retention (ended silences for 120 h, resolved alerts for 30 min).
    expect(await am.service!.app.get(AlertmanagerMaintenance).gc()).toEqual({ silences: 0, alerts: 0 });
  });
});

describe('the Redis stores, shared by replicas', () => {
  let redis: Redis;
  const prefix = `${uniqueName('test_amstore')}:`;

  beforeAll(() => {
    redis = createRedis(infraEnv.redisUrl, 'alertmanager-store-test');
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it("sees another replica's silence on refresh, and a concurrent change never loses a write", async () => {
    const a = new RedisSilenceStore(redis, { prefix, retentionMs: H }, Date.now);
    const b = new RedisSilenceStore(redis, { prefix, retentionMs: H }, Date.now);
    await a.refresh();
    await b.refresh();
    const input = { matchers: parseMatchers('job="api"'), startsAt: Date.now(), endsAt: Date.now() + H, createdBy: 'ann', comment: 'c' };
    const id = await a.set(input);
    expect(b.silencedBy({ job: 'api' }, Date.now())).toEqual([]);
    const seen = b.snapshotVersion();
    await b.refresh();
    expect(b.silencedBy({ job: 'api' }, Date.now())).toEqual([id]);
    expect(b.snapshotVersion()).not.toBe(seen);
    expect(b.snapshotVersion()).toBe(a.snapshotVersion());

    // Both replicas change the matchers of the same silence at once. The first expires it and creates its
    // replacement; the second's compare-and-set fails, it re-reads, finds the silence expired and (as Alertmanager
    // does for an expired silence) creates its own. No change is lost, none overwrites the other.
    const [x, y] = await Promise.all([
      a.set({ ...input, id, matchers: parseMatchers('job="api", env="a"') }),
      b.set({ ...input, id, matchers: parseMatchers('job="api", env="b"') }),
    ]);
    expect(x).not.toBe(y);
    const all = await a.refresh();
    expect(all).toHaveLength(3);
    const active = all.filter((s) => s.endsAt > Date.now());
    expect(active.map((s) => s.id).sort()).toEqual([x, y].sort());
    expect(active.map((s) => s.matchers[1].value).sort()).toEqual(['a', 'b']);
    expect(all.find((s) => s.id === id)!.endsAt).toBeLessThanOrEqual(Date.now());
  });

  it('deletes silences past their retention and alerts resolved longer than theirs', async () => {
    const gcPrefix = `${prefix}gc:`;
    const silences = new RedisSilenceStore(redis, { prefix: gcPrefix, retentionMs: 1 }, Date.now);
    const keep = await silences.set({ matchers: parseMatchers('a="1"'), startsAt: Date.now(), endsAt: Date.now() + H, createdBy: 'x', comment: 'y' });
    const drop = await silences.set({ matchers: parseMatchers('a="2"'), startsAt: Date.now(), endsAt: Date.now() + H, createdBy: 'x', comment: 'y' });
    await silences.expire(drop);
    const later = Date.now() + 10;
    expect(await silences.gc(later)).toBe(1);
    expect((await silences.list()).map((s) => s.id)).toEqual([keep]);

    const store = new RedisAlertStore(redis, { prefix: gcPrefix, resolvedRetentionMs: 60_000 });
    const now = Date.now();
    const mk = (name: string, endsAt: number) => ({ fingerprint: fingerprint({ alertname: name }), labels: { alertname: name }, annotations: {}, startsAt: now - H, endsAt, updatedAt: now, generatorURL: '' });
    await store.put([mk('Old', now - 2 * 60_000), mk('Recent', now - 1000), mk('Firing', now + H)], now);
    expect(await store.gc(now)).toBe(1);
    expect((await store.list()).map((a) => a.labels.alertname).sort()).toEqual(['Firing', 'Recent']);
  });

  it('skips damaged entries instead of trusting or failing on them', async () => {
    const damaged = `${prefix}damaged:`;
    await redis.hset(`${damaged}silences`, 'x', '{not json', 'y', JSON.stringify({ id: 'y', matchers: 'all' }));
    await redis.hset(`${damaged}alerts`, 'f', JSON.stringify({ fingerprint: 'f', labels: { a: 1 } }));
    expect(await new RedisSilenceStore(redis, { prefix: damaged, retentionMs: H }, Date.now).refresh()).toEqual([]);
    const alerts = new RedisAlertStore(redis, { prefix: damaged, resolvedRetentionMs: H });
    expect(await alerts.list()).toEqual([]);
    expect(await alerts.get('f')).toBeUndefined();
  });

  it('puts thousands of alerts in one batch and merges repeats', async () => {
    const store = new RedisAlertStore(redis, { prefix: `${prefix}bulk:`, resolvedRetentionMs: 60_000 });
    const now = Date.now();
    const batch = Array.from({ length: 5000 }, (_, i) => {
      const labels = { alertname: 'Bulk', instance: `i${i}` };
      return { fingerprint: fingerprint(labels), labels, annotations: {}, startsAt: now - 1000, endsAt: now + H, updatedAt: now - 1000, generatorURL: '' };
    });
    await store.put(batch, now);
    // A later copy of one with a later start keeps the earlier start (they overlap).
    await store.put([{ ...batch[7], startsAt: now, updatedAt: now, annotations: { v: '2' } }], now);
    expect(await store.list()).toHaveLength(5000);
    expect(await store.get(batch[7].fingerprint)).toMatchObject({ startsAt: now - 1000, annotations: { v: '2' } });
  });
});
