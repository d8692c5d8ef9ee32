import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LabelMatcher } from './label-matcher';
import {
  ReadRangeError,
  labelNamesSql,
  labelValuesSql,
  readMatchedSamplesSql,
  readUnionSamplesSql,
  selectTaggedLabelSetsSql,
  readSamplesSql,
  readWindowAggregatesSql,
  selectLabelSetsSql,
  selectSeriesSql,
  seriesMetadataSql,
} from './read-queries';

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
  'select-before-1970': selectSeriesSql('vigil', [m('__name__', '=', 'up')], { start: -300_000, end: 60_000 }),
  // Grafana's metric browser: every series with a name, capped.
  'label-sets-grafana': selectLabelSetsSql('vigil', [[m('__name__', '!=', '')]], range, 40_000),
  'label-sets-union': selectLabelSetsSql('vigil', [[m('__name__', '=', 'up'), m('job', '=~', 'api|db')], [m('__name__', '=~', 'node_.+')]], range, 0),
  'label-names-all': labelNamesSql('vigil', [], undefined, 0),
  'label-names-matched': labelNamesSql('vigil', [[m('job', '=', 'api')]], range, 100),
  'label-values-all': labelValuesSql('vigil', 'job', [], undefined, 0),
  'label-values-matched': labelValuesSql('vigil', '__name__', [[m('job', '!~', "it's|x")], [m('env', '=', 'prod')]], range, 10),
  'read-matched-raw': readMatchedSamplesSql('vigil', [m('__name__', '=', 'http_requests_total'), m('code', '=~', '5..')], range, 'raw', 50_000_001),
  'read-matched-1m': readMatchedSamplesSql('vigil', [m('__name__', '=', 'up')], range, '1m'),
  'read-matched-1h': readMatchedSamplesSql('vigil', [m('job', '=', 'api')], range, '1h', 1000),
  // A rule group's batch read: tagged label sets and the union's points.
  'label-sets-tagged': selectTaggedLabelSetsSql('vigil', [[m('__name__', '=', 'up'), m('job', '=', 'api')], [m('__name__', '=~', 'node_.+')], []], range),
  'read-union-raw': readUnionSamplesSql('vigil', [[m('__name__', '=', 'up'), m('job', '=', 'api')], [m('__name__', '=', 'http_requests_total')]], range, 'raw', 50_000_001),
  'series-metadata': seriesMetadataSql('vigil', ['up', 'http_requests_total']),
  // Window pushdown: an instant max_over_time(x[1h]) (one window), and sum_over_time(x[1h]) at a 2h step (windows with gaps).
  'windows-max-instant': readWindowAggregatesSql('vigil', [m('__name__', '=', 'up')], { last: range.end, step: 3_600_000, range: 3_600_000, count: 1 }, 'max', 1001),
  'windows-sum-gaps': readWindowAggregatesSql('vigil', [m('job', '=', 'api')], { last: range.end, step: 7_200_000, range: 3_600_000, count: 12 }, 'sum'),
  'windows-count-before-1970': readWindowAggregatesSql('vigil', [m('__name__', '=', 'up')], { last: 0, step: 300_000, range: 300_000, count: 3 }, 'count'),
};

describe('golden SQL', () => {
  it.each(Object.entries(cases))('%s matches test/golden/%s.sql', (name, sql) => {
    const file = join(GOLDEN_DIR, `${name}.sql`);
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, `${sql}\n`);
    expect(`${sql}\n`).toBe(readFileSync(file, 'utf8'));
  });
});

describe('read query input checks', () => {
  it('refuses overlapping or malformed window grids', () => {
    const up = [m('__name__', '=', 'up')];
    expect(() => readWindowAggregatesSql('vigil', up, { last: 0, step: 60_000, range: 120_000, count: 2 }, 'max')).toThrow(ReadRangeError);
    expect(() => readWindowAggregatesSql('vigil', up, { last: 0.5, step: 60_000, range: 60_000, count: 1 }, 'max')).toThrow(ReadRangeError);
    expect(() => readWindowAggregatesSql('vigil', up, { last: 0, step: 60_000, range: 0, count: 1 }, 'max')).toThrow(ReadRangeError);
    expect(() => readWindowAggregatesSql('vigil', up, { last: 0, step: 60_000, range: 60_000, count: 0 }, 'max')).toThrow(ReadRangeError);
  });

  it('rejects a reversed or fractional range', () => {
    expect(() => readSamplesSql('vigil', ['1'], { start: 10, end: 5 }, 'raw')).toThrow(ReadRangeError);
    expect(() => selectSeriesSql('vigil', [], { start: 1.5, end: 5 })).toThrow(/integer milliseconds/);
  });

  it('rejects an empty label name and bad limits, and validates matchers of every selector', () => {
    expect(() => labelValuesSql('vigil', '', [], undefined, 0)).toThrow(/label name/);
    expect(() => selectLabelSetsSql('vigil', [[m('job', '=', 'a')]], range, 1.5)).toThrow(/safe integer/);
    expect(() => labelNamesSql('vigil', [[], [m('bad-name', '=', 'x')]])).toThrow(/invalid matcher/);
    expect(() => readMatchedSamplesSql('vigil', [m('a', '=~', '(')], range, 'raw')).toThrow(/invalid regex/);
    expect(() => selectTaggedLabelSetsSql('vigil', [], range)).toThrow(/at least one selector/);
    expect(() => readUnionSamplesSql('vigil', [], range, 'raw')).toThrow(/at least one selector/);
  });

  it('puts every value through the escaping functions', () => {
    const hostile = "x'; DROP TABLE vigil.samples; --";
    for (const sql of [
      selectLabelSetsSql('vigil', [[m('job', '=', hostile)]], range, 0),
      labelNamesSql('vigil', [[m('job', '=~', hostile)]]),
      labelValuesSql('vigil', hostile, [[m('job', '!=', hostile)]]),
      readMatchedSamplesSql('vigil', [m('job', '!~', hostile)], range, '1m'),
      selectTaggedLabelSetsSql('vigil', [[m('job', '=', hostile)]], range),
      readUnionSamplesSql('vigil', [[m('job', '=', hostile)]], range, 'raw'),
      seriesMetadataSql('vigil', [hostile]),
    ]) {
      expect(sql).not.toContain("x';");
      expect(sql).toContain("x\\'; DROP TABLE");
    }
  });

  it('rejects a fingerprint that is not UInt64 text', () => {
    expect(() => readSamplesSql('vigil', ['1) OR (1=1'], range, 'raw')).toThrow(/UInt64 literal/);
  });
});
