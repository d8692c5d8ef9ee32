import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LabelMatcher } from './label-matcher';
import { ReadRangeError, readSamplesSql, selectSeriesSql } from './read-queries';

/**
 * The SQL the store sends for a representative set of selections, committed under
 * test/golden so query changes show up in review. `UPDATE_GOLDEN=1` rewrites the files.
 */
const GOLDEN_DIR = join(__dirname, '../../test/golden');
const range = { start: 1_700_000_000_000, end: 1_700_003_600_000 };
const m = (name: string, type: LabelMatcher['type'], value: string): LabelMatcher => ({ name, type, value });

const cases: Record<string, string> = {
  'select-by-name': selectSeriesSql('vigil', [m('__name__', '=', 'http_requests_total')], range),
  'select-name-and-labels': selectSeriesSql(
    'vigil',
    [m('__name__', '=', 'http_requests_total'), m('job', '=', 'api'), m('code', '!=', '200')],
    range,
  ),
  'select-regex': selectSeriesSql('vigil', [m('__name__', '=~', 'node_cpu.*'), m('mode', '!~', 'idle|iowait')], range),
  'select-empty-value': selectSeriesSql('vigil', [m('__name__', '=', 'up'), m('instance', '=', ''), m('job', '!=', '')], range),
  'select-without-range': selectSeriesSql('vigil', [m('job', '=~', '.+')]),
  'read-raw': readSamplesSql('vigil', ['1', '18446744073709551615'], range, 'raw'),
  'read-1m': readSamplesSql('vigil', ['42'], range, '1m'),
  'read-1h': readSamplesSql('vigil', ['42', '43'], range, '1h'),
};

describe('golden SQL', () => {
  it.each(Object.entries(cases))('%s matches test/golden/%s.sql', (name, sql) => {
    const file = join(GOLDEN_DIR, `${name}.sql`);
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, `${sql}\n`);
    expect(`${sql}\n`).toBe(readFileSync(file, 'utf8'));
  });
});

describe('read query input checks', () => {
  it('rejects a reversed or fractional range', () => {
    expect(() => readSamplesSql('vigil', ['1'], { start: 10, end: 5 }, 'raw')).toThrow(ReadRangeError);
    expect(() => selectSeriesSql('vigil', [], { start: 1.5, end: 5 })).toThrow(/integer milliseconds/);
  });

  it('rejects a fingerprint that is not UInt64 text', () => {
    expect(() => readSamplesSql('vigil', ['1) OR (1=1'], range, 'raw')).toThrow(/UInt64 literal/);
  });
});
