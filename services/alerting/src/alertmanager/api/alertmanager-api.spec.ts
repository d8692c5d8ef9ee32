import type { Alert } from '../alert';
import { fingerprint } from '../labels';
import { AlertmanagerApiError } from './alertmanager-api-error';
import { compareGroupAlerts, labelSetBefore, parseFilter, parseReceiverFilter, statusPasses, toGettableAlert, toGettableSilence } from './alertmanager-api.format';
import { boolParam, GO_ZERO_TIME_MS, parseBody, parseDateTime, PostableAlertsSchema, PostableSilenceSchema, silenceIdParam, toSilenceInput } from './alertmanager-api.schemas';
import { alertmanagerErrorFor } from './alertmanager-error.filter';
import { parseAlertmanagerConfig } from '../config/alertmanager-config';
import { RoutingView } from './routing-view';

function apiError(f: () => unknown): AlertmanagerApiError {
  try {
    f();
  } catch (e) {
    if (e instanceof AlertmanagerApiError) return e;
    throw e;
  }
  throw new Error('expected an AlertmanagerApiError');
}

describe('date-times', () => {
  it('parses RFC 3339 with any fraction and offset, to ms', () => {
    expect(parseDateTime('2026-01-02T03:04:05Z')).toBe(Date.UTC(2026, 0, 2, 3, 4, 5));
    expect(parseDateTime('2026-01-02T03:04:05.123456789Z')).toBe(Date.UTC(2026, 0, 2, 3, 4, 5, 123));
    expect(parseDateTime('2026-01-02T05:04:05.5+02:00')).toBe(Date.UTC(2026, 0, 2, 3, 4, 5, 500));
    expect(parseDateTime('0001-01-01T00:00:00Z')).toBe(GO_ZERO_TIME_MS);
  });

  it.each(['2026-01-02', '2026-02-30T00:00:00Z', '2026-01-02T25:00:00Z', 'yesterday', '2026-01-02T03:04:05'])('refuses %s', (text) => {
    expect(parseDateTime(text)).toBeUndefined();
  });
});

describe('request bodies as go-swagger refuses them', () => {
  it('a wrong JSON type is an unparseable body (400 {code: 400})', () => {
    const e = apiError(() => parseBody(PostableAlertsSchema, [{ labels: { a: 5 } }], 'alerts'));
    expect([e.status, e.body]).toEqual([400, { code: 400, message: 'parsing alerts body from "" failed, because json: cannot unmarshal number into 0.labels.a of type string' }]);
    expect(apiError(() => parseBody(PostableAlertsSchema, { labels: {} }, 'alerts')).status).toBe(400);
    const date = apiError(() => parseBody(PostableAlertsSchema, [{ labels: { a: '1' }, startsAt: 'noon' }], 'alerts'));
    expect(date.body).toEqual({ code: 400, message: expect.stringContaining('0.startsAt: invalid date-time "noon"') });
  });

  it('a missing required field is a validation error (422 {code: 602})', () => {
    const e = apiError(() => parseBody(PostableAlertsSchema, [{ labels: { a: '1' } }, { annotations: {} }], 'alerts'));
    expect([e.status, e.body]).toEqual([422, { code: 602, message: '1.labels in body is required' }]);
    expect(apiError(() => parseBody(PostableAlertsSchema, undefined, 'alerts')).body).toEqual({ code: 602, message: 'alerts in body is required' });
    const silence = { matchers: [{ name: 'a', value: 'b', isRegex: false }], startsAt: '2026-01-01T00:00:00Z', endsAt: '2026-01-02T00:00:00Z', comment: 'c' };
    expect(apiError(() => parseBody(PostableSilenceSchema, silence, 'silence')).body).toEqual({ code: 602, message: 'createdBy in body is required' });
    expect(apiError(() => parseBody(PostableSilenceSchema, { ...silence, createdBy: 'x', matchers: [] }, 'silence')).body).toEqual({
      code: 612,
      message: 'matchers in body should have at least 1 items',
    });
  });

  it('turns API matchers into ours (isEqual defaults to true) and zero times into absent', () => {
    const body = parseBody(
      PostableSilenceSchema,
      {
        matchers: [
          { name: 'a', value: 'x', isRegex: false },
          { name: 'b', value: 'y.*', isRegex: true, isEqual: false },
          { name: 'c', value: 'z', isRegex: false, isEqual: false },
        ],
        startsAt: '0001-01-01T00:00:00Z',
        endsAt: '2026-01-02T00:00:00Z',
        createdBy: 'ann',
        comment: 'c',
        unknownField: true,
      },
      'silence',
    );
    const input = toSilenceInput(body);
    expect(input.matchers).toEqual([
      { name: 'a', type: '=', value: 'x' },
      { name: 'b', type: '!~', value: 'y.*' },
      { name: 'c', type: '!=', value: 'z' },
    ]);
    expect(input.startsAt).toBeNaN();
  });
});

describe('query and path parameters', () => {
  it('reads booleans as swag.ConvertBool and refuses others with 422', () => {
    expect(boolParam(undefined, 'active', true)).toBe(true);
    expect(boolParam('false', 'active', true)).toBe(false);
    expect(boolParam('1', 'active', false)).toBe(true);
    expect(apiError(() => boolParam('maybe', 'silenced', true)).body).toEqual({ code: 601, message: 'silenced in query must be of type boolean: "maybe"' });
  });

  it('refuses a bad filter or receiver regex with 400 and a JSON-string message', () => {
    expect(parseFilter(['a="1"', 'b=~x'])).toHaveLength(2);
    const bad = apiError(() => parseFilter(['justaname']));
    expect(bad.status).toBe(400);
    expect(typeof bad.body).toBe('string');
    expect(parseReceiverFilter('team-.*')!.matches('team-a')).toBe(true);
    expect(parseReceiverFilter('team')!.matches('team-a')).toBe(false);
    expect(apiError(() => parseReceiverFilter('(')).body).toMatch(/^failed to parse receiver param: /);
  });

  it('wants a UUID as silence id', () => {
    expect(silenceIdParam('3C4B8A3E-1111-4222-8333-444455556666')).toBe('3c4b8a3e-1111-4222-8333-444455556666');
    expect(apiError(() => silenceIdParam('nope'))).toMatchObject({ status: 422, body: { code: 601, message: 'silenceID in path must be of type uuid: "nope"' } });
  });
});

describe('response shapes', () => {
  const T = Date.UTC(2026, 0, 1, 12);
  const a: Alert = { fingerprint: fingerprint({ alertname: 'X' }), labels: { alertname: 'X' }, annotations: { summary: 's' }, startsAt: T, endsAt: T + 1, updatedAt: T, generatorURL: '' };

  it('GettableAlert: RFC 3339 ms times, receivers by name, the four status lists, no empty generatorURL', () => {
    expect(toGettableAlert(a, { state: 'suppressed', silencedBy: ['s'], inhibitedBy: [], mutedBy: [] }, ['default'])).toEqual({
      labels: { alertname: 'X' },
      annotations: { summary: 's' },
      startsAt: '2026-01-01T12:00:00.000Z',
      endsAt: '2026-01-01T12:00:00.001Z',
      updatedAt: '2026-01-01T12:00:00.000Z',
      fingerprint: a.fingerprint,
      receivers: [{ name: 'default' }],
      status: { state: 'suppressed', silencedBy: ['s'], inhibitedBy: [], mutedBy: [] },
    });
  });

  it('GettableSilence: matchers with isRegex and isEqual, and the state', () => {
    const s = { id: 'i', matchers: [{ name: 'a', type: '!~' as const, value: 'x' }], startsAt: T, endsAt: T + 10, updatedAt: T, createdBy: 'c', comment: 'm' };
    expect(toGettableSilence(s, T + 10)).toMatchObject({ status: { state: 'expired' }, matchers: [{ name: 'a', value: 'x', isRegex: true, isEqual: false }] });
  });

  it('filters by status as alertFilter', () => {
    const silenced = { state: 'suppressed' as const, silencedBy: ['s'], inhibitedBy: [], mutedBy: [] };
    const active = { state: 'active' as const, silencedBy: [], inhibitedBy: [], mutedBy: [] };
    expect(statusPasses(silenced, { active: true, silenced: false, inhibited: true })).toBe(false);
    expect(statusPasses(active, { active: false, silenced: true, inhibited: true })).toBe(false);
    expect(statusPasses(active, { active: true, silenced: false, inhibited: false })).toBe(true);
  });

  it('orders label sets and group alerts as Alertmanager', () => {
    expect(labelSetBefore({ a: '1' }, { a: '1', b: '2' })).toBe(true);
    expect(labelSetBefore({ a: '2' }, { a: '1' })).toBe(false);
    expect(labelSetBefore({ a: '1' }, { b: '1' })).toBe(false);
    expect(labelSetBefore({ b: '1' }, { a: '1' })).toBe(true);
    const withJob = { ...a, labels: { job: 'b' }, fingerprint: 'f2' };
    const noJob = { ...a, fingerprint: 'f0' };
    expect([noJob, withJob].sort(compareGroupAlerts).map((x) => x.fingerprint)).toEqual(['f2', 'f0']);
  });

  it('RoutingView: status, receivers and groups from the routing config, silences included', () => {
    const text = `route:
  receiver: ops
  group_by: [alertname]
  routes:
    - matchers: ['alertname="X"']
      receiver: db
      continue: true
    - receiver: ops
receivers: [{name: ops}, {name: db}]
`;
    const parsed = parseAlertmanagerConfig(text, 'am.yml');
    if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
    const view = new RoutingView({ current: () => parsed.config }, { silencedBy: (labels) => (labels.alertname === 'X' ? ['s1'] : []) });
    expect(view.status(a, [a], T)).toEqual({ state: 'suppressed', silencedBy: ['s1'], inhibitedBy: [], mutedBy: [] });
    expect(view.status({ ...a, labels: { alertname: 'Y' } }, [], T).state).toBe('active');
    expect(view.receivers(a.labels)).toEqual(['db', 'ops']);
    expect(view.groups([a], T).map((g) => [g.receiver, g.labels])).toEqual(expect.arrayContaining([['db', { alertname: 'X' }], ['ops', { alertname: 'X' }]]));
    expect(view.receiverNames()).toEqual(['ops', 'db']);
    expect(view.configOriginal()).toBe(text);
  });
});

describe('RoutingView with dependency-aware inhibition', () => {
  const T = Date.UTC(2026, 0, 1, 12);
  const mk = (labels: Record<string, string>): Alert => ({ fingerprint: fingerprint(labels), labels, annotations: {}, startsAt: T, endsAt: T + 60_000, updatedAt: T, generatorURL: '' });
  const config = (enabled: boolean) => {
    const r = parseAlertmanagerConfig(`route:\n  receiver: ops\n  dependency_inhibition: {enabled: ${enabled}}\nreceivers: [{name: ops}]\n`, 'am.yml');
    if (!r.ok) throw new Error(r.errors.join('\n'));
    return r.config;
  };
  const db = mk({ alertname: 'DBDown', component: 'db' });
  const checkout = mk({ alertname: 'CheckoutErrors', component: 'checkout' });
  const graph = { cached: () => [{ source: 'checkout', target: 'db' }] };

  it('shows the likely cause of an alert whose route enables it, and GettableAlert carries it', () => {
    const c = config(true);
    const view = new RoutingView({ current: () => c }, { silencedBy: () => [] }, graph);
    const status = view.status(checkout, [db, checkout], T);
    expect(status.likelyCause).toEqual({ component: 'db', alertname: 'DBDown', fingerprint: db.fingerprint });
    expect(view.status(db, [db, checkout], T).likelyCause).toBeUndefined();
    expect(toGettableAlert(checkout, status, ['ops']).likelyCause).toEqual(status.likelyCause);
    expect(toGettableAlert(db, view.status(db, [db, checkout], T), ['ops'])).not.toHaveProperty('likelyCause');
  });

  it('no cause when the route does not enable it, or the upstream alert resolved', () => {
    const off = config(false);
    expect(new RoutingView({ current: () => off }, { silencedBy: () => [] }, graph).status(checkout, [db, checkout], T).likelyCause).toBeUndefined();
    const on = config(true);
    const resolvedDb = { ...db, endsAt: T - 1 };
    expect(new RoutingView({ current: () => on }, { silencedBy: () => [] }, graph).status(checkout, [resolvedDb, checkout], T).likelyCause).toBeUndefined();
  });
});

describe('errors outside the handlers, under /api/v2', () => {
  it('answers an unknown path, a malformed body and an internal error as Alertmanager', () => {
    const notFound = Object.assign(new Error('Route GET:/api/v2/nope not found'), { statusCode: 404 });
    expect(alertmanagerErrorFor(notFound, 'GET', '/api/v2/nope')).toMatchObject({ status: 404, body: { code: 404, message: 'path /api/v2/nope was not found' } });
    const malformed = Object.assign(new SyntaxError('Unexpected token } in JSON'), { statusCode: 400 });
    expect(alertmanagerErrorFor(malformed, 'POST', '/api/v2/alerts').body).toEqual({ code: 400, message: 'parsing alerts body from "" failed, because Unexpected token } in JSON' });
    expect(alertmanagerErrorFor(new Error('redis password=x'), 'GET', '/api/v2/alerts')).toMatchObject({ status: 500, body: 'internal error' });
  });
});
