import type { Alert } from '../alert';
import { fingerprint } from '../labels';
import { ingestPosted, mergeAlerts, putAlert, validateAlert } from './alert-merge';

const T = Date.UTC(2026, 0, 1, 12);
const M = 60_000;
const labels = { alertname: 'Down', job: 'api' };
const alert = (change: Partial<Alert>): Alert => ({
  fingerprint: fingerprint(labels),
  labels,
  annotations: {},
  startsAt: T,
  endsAt: T + 5 * M,
  updatedAt: T,
  generatorURL: '',
  ...change,
});

describe('mergeAlerts (types.Alert.Merge)', () => {
  it('keeps the earlier start and takes the later-updated copy otherwise', () => {
    const old = alert({ startsAt: T - 10 * M, annotations: { summary: 'old' }, updatedAt: T - M });
    const young = alert({ startsAt: T, annotations: { summary: 'new' }, updatedAt: T });
    const merged = mergeAlerts(old, young, T);
    expect(merged).toMatchObject({ startsAt: T - 10 * M, annotations: { summary: 'new' }, updatedAt: T });
    expect(mergeAlerts(young, old, T)).toEqual(merged);
  });

  it('a firing copy keeps a later explicit end of the older one, not a timeout end', () => {
    const old = alert({ endsAt: T + 30 * M, updatedAt: T - M });
    expect(mergeAlerts(old, alert({ endsAt: T + 5 * M }), T).endsAt).toBe(T + 30 * M);
    expect(mergeAlerts({ ...old, timeout: true }, alert({ endsAt: T + 5 * M }), T).endsAt).toBe(T + 5 * M);
  });

  it('between two resolved copies the later resolve time wins; a resolved copy stays resolved', () => {
    const old = alert({ endsAt: T - M, updatedAt: T - M });
    const young = alert({ endsAt: T - 2 * M, updatedAt: T });
    expect(mergeAlerts(old, young, T).endsAt).toBe(T - M);
    const resolvedLater = alert({ endsAt: T, updatedAt: T });
    expect(mergeAlerts(alert({ endsAt: T + 5 * M, updatedAt: T - M }), resolvedLater, T).endsAt).toBe(T);
  });
});

describe('putAlert (provider Put)', () => {
  it('merges overlapping copies and replaces a stored alert after its range ended', () => {
    const stored = alert({ startsAt: T - 10 * M, endsAt: T + 5 * M, updatedAt: T - M });
    expect(putAlert(stored, alert({ startsAt: T - 5 * M, endsAt: T + 10 * M }), T).startsAt).toBe(T - 10 * M);
    const resolved = alert({ startsAt: T - 10 * M, endsAt: T - 5 * M, updatedAt: T - 5 * M });
    const refired = alert({ startsAt: T, endsAt: T + 5 * M });
    expect(putAlert(resolved, refired, T)).toEqual(refired);
    expect(putAlert(undefined, refired, T)).toBe(refired);
  });
});

describe('ingestPosted (API defaults)', () => {
  it('fills start with now, end with now + resolve_timeout and flags the timeout', () => {
    const a = ingestPosted({ labels: { alertname: 'X', empty: '' }, annotations: {}, generatorURL: '' }, T, 5 * M);
    expect(a).toEqual({ labels: { alertname: 'X' }, annotations: {}, startsAt: T, endsAt: T + 5 * M, updatedAt: T, generatorURL: '', timeout: true });
  });

  it('keeps given times, and starts a resolved-only alert at its end', () => {
    expect(ingestPosted({ labels: { a: '1' }, annotations: {}, startsAt: T - M, endsAt: T + M, generatorURL: 'http://p' }, T, 5 * M)).toEqual({
      labels: { a: '1' },
      annotations: {},
      startsAt: T - M,
      endsAt: T + M,
      updatedAt: T,
      generatorURL: 'http://p',
    });
    expect(ingestPosted({ labels: { a: '1' }, annotations: {}, endsAt: T - M, generatorURL: '' }, T, 5 * M)).toMatchObject({ startsAt: T - M, endsAt: T - M });
  });
});

describe('validateAlert (model.Alert.Validate)', () => {
  type Checked = Parameters<typeof validateAlert>[0];
  const ok: Checked = { labels: { a: '1' }, annotations: {}, startsAt: T, endsAt: T + M };
  it.each<[string, Partial<Checked>, string]>([
    ['an end before the start', { endsAt: T - 1 }, 'start time must be before end time'],
    ['no labels', { labels: {} }, 'at least one label pair required'],
    ['a bad label name', { labels: { 'a-b': '1' } }, 'invalid label set: invalid name "a-b"'],
    ['a lone surrogate', { labels: { a: '\ud800' } }, 'invalid label set: invalid value'],
    ['a bad annotation name', { annotations: { '1x': 'y' } }, 'invalid annotations: invalid name "1x"'],
  ])('refuses %s', (_, change, message) => {
    expect(validateAlert({ ...ok, ...change })).toContain(message);
  });

  it('accepts a good alert and an end equal to the start', () => {
    expect(validateAlert(ok)).toBeUndefined();
    expect(validateAlert({ ...ok, endsAt: T })).toBeUndefined();
  });
});
