import { unquoteString } from '../src/parser/string-literal';
import { parseDuration } from '../src/parser/duration';
import { labelsKey, type Labels } from '../src/model/labels';
import {
  SeriesNotationError,
  expandValues,
  isNumber,
  parseLabelSet,
  parseNumber,
  type SeriesValue,
} from '../src/notation/series-notation';

// The series notation lives in src/notation (shared with the alerting service's rule unit tests); re-exported here
// for the runner and its tests.
export { SeriesNotationError as TestFileError, explicitHints, expandValues, isNumber, parseHistogram, parseLabelSet, parseNumber, type SeriesValue } from '../src/notation/series-notation';

/**
 * Reader for Prometheus' `.test` scripting format (see ../shared/conformance/promql/FORMAT.md): commands, series
 * descriptions and expectations. Pure parsing; running them is run-conformance.ts' job.
 */

export interface SeriesLine {
  labels: Labels;
  /** One entry per position: a number, `null` for a gap, or 'hist' for a native-histogram item (not loaded). */
  values: SeriesValue[];
  line: number;
  /** From a preceding `@st` line (FORMAT.md §7): per position, the start-timestamp offset (ms) from the sample time, or null. */
  stOffsets?: (number | null)[];
}

export interface LoadCommand {
  kind: 'load';
  withNhcb: boolean;
  interval: number;
  series: SeriesLine[];
  line: number;
}

export interface Expectation {
  type: 'fail' | 'warn' | 'info' | 'no_warn' | 'no_info' | 'ordered';
  msg?: string;
  regex?: string;
}

export interface EvalCommand {
  kind: 'eval';
  line: number;
  range: boolean;
  /** Instant: at = start = end. Range: from/to/step. ms. */
  start: number;
  end: number;
  step: number;
  expr: string;
  expectations: Expectation[];
  expectedScalar: number | null;
  expectedString: string | null;
  rangeVector: { from: number; to: number; step: number } | null;
  series: SeriesLine[];
  /** Raw text of the block, for the native-histogram rule. */
  raw: string;
}

export type Command = { kind: 'clear'; line: number } | LoadCommand | EvalCommand;

function duration(text: string, line: number): number {
  const d = parseDuration(text);
  if (d === null) throw new SeriesNotationError(`line ${line}: bad duration ${JSON.stringify(text)}`);
  return d;
}

const ST_DURATION = String.raw`(?:\d+(?:ms|[smhdwy]))+|0`;
const ST_ITEM_RE = new RegExp(`^([+-]?(?:${ST_DURATION}))(?:([+-])(${ST_DURATION}))?(?:x(\\d+))?$`);

function stDuration(text: string, line: number): number {
  const sign = text.startsWith('-') ? -1 : 1;
  const body = text.replace(/^[+-]/, '');
  const d = body === '0' ? 0 : parseDuration(body);
  if (d === null) throw new SeriesNotationError(`line ${line}: bad start-timestamp offset ${JSON.stringify(text)}`);
  return sign * d;
}

/** Expands an `@st` offset sequence (FORMAT.md §7): `_`, `_xN`, `<d>`, `<d>xN`, `<d>±<e>xN`. */
export function expandStartOffsets(text: string, line: number): (number | null)[] {
  const out: (number | null)[] = [];
  for (const item of text.trim().split(/\s+/).filter(Boolean)) {
    if (item === '_') {
      out.push(null);
      continue;
    }
    const gap = /^_x(\d+)$/.exec(item);
    if (gap) {
      for (let k = 0; k < Number(gap[1]); k++) out.push(null);
      continue;
    }
    const m = ST_ITEM_RE.exec(item);
    if (!m) throw new SeriesNotationError(`line ${line}: bad start-timestamp item ${JSON.stringify(item)}`);
    const base = stDuration(m[1], line);
    const step = m[2] ? stDuration(m[3], line) * (m[2] === '-' ? -1 : 1) : 0;
    const times = m[4] !== undefined ? Number(m[4]) : 0;
    for (let k = 0; k <= times; k++) out.push(base + k * step);
  }
  return out;
}

/** `<series>@st <offsets>` (no space before `@st`), or null for any other line. */
function parseStartTimestampLine(text: string, line: number): { labels: Labels; offsets: (number | null)[]; line: number } | null {
  if (!/^\S*@st\s/.test(text) && !/}@st\s/.test(text)) return null;
  const { labels, rest } = parseLabelSet(text, line);
  if (!rest.startsWith('@st')) throw new SeriesNotationError(`line ${line}: bad @st line ${JSON.stringify(text)}`);
  return { labels, offsets: expandStartOffsets(rest.slice(3), line), line };
}

function parseSeriesLine(text: string, line: number): SeriesLine {
  const { labels, rest } = parseLabelSet(text, line);
  return { labels, values: expandValues(rest, line), line };
}

function parseExpectation(text: string, line: number): Expectation {
  const m = /^expect\s+(fail|warn|info|no_warn|no_info|ordered)\b\s*(.*)$/.exec(text);
  if (!m) throw new SeriesNotationError(`line ${line}: bad expect line ${JSON.stringify(text)}`);
  const e: Expectation = { type: m[1] as Expectation['type'] };
  const rest = m[2].trim();
  const mm = /^(msg|regex):\s?(.*)$/.exec(rest);
  if (mm) {
    if (mm[1] === 'msg') e.msg = mm[2].trim();
    else e.regex = mm[2].trim();
  }
  return e;
}

export function parseTestFile(content: string): Command[] {
  const lines = content.split('\n').map((l) => {
    const t = l.trim();
    return t.startsWith('#') ? '' : t;
  });
  const cmds: Command[] = [];
  let i = 0;
  while (i < lines.length) {
    const text = lines[i];
    const lineNo = i + 1;
    i++;
    if (text === '') continue;
    const words = text.split(/\s+/);
    const first = words[0].toLowerCase();
    const block: { text: string; line: number }[] = [];
    const takeBlock = () => {
      while (i < lines.length && lines[i] !== '') {
        block.push({ text: lines[i], line: i + 1 });
        i++;
      }
    };
    if (first === 'clear') {
      cmds.push({ kind: 'clear', line: lineNo });
      continue;
    }
    if (first.startsWith('load')) {
      takeBlock();
      const series: SeriesLine[] = [];
      let pending: { labels: Labels; offsets: (number | null)[]; line: number } | null = null;
      for (const b of block) {
        const st = parseStartTimestampLine(b.text, b.line);
        if (st) {
          if (pending) throw new SeriesNotationError(`line ${pending.line}: @st line not followed by its series line`);
          pending = st;
          continue;
        }
        const s = parseSeriesLine(b.text, b.line);
        if (pending) {
          if (labelsKey(pending.labels) !== labelsKey(s.labels)) throw new SeriesNotationError(`line ${b.line}: series does not match the @st line above (line ${pending.line})`);
          if (pending.offsets.length !== s.values.length) throw new SeriesNotationError(`line ${b.line}: ${s.values.length} values but ${pending.offsets.length} start timestamps (line ${pending.line})`);
          s.stOffsets = pending.offsets;
          pending = null;
        }
        series.push(s);
      }
      if (pending) throw new SeriesNotationError(`line ${pending.line}: @st line not followed by its series line`);
      cmds.push({ kind: 'load', withNhcb: first === 'load_with_nhcb', interval: duration(words[1], lineNo), series, line: lineNo });
      continue;
    }
    if (first.startsWith('eval')) {
      const expectations: Expectation[] = [];
      const suffix = first.slice(4);
      if (suffix === '_fail') expectations.push({ type: 'fail' });
      else if (suffix === '_warn') expectations.push({ type: 'warn' });
      else if (suffix === '_info') expectations.push({ type: 'info' });
      else if (suffix === '_ordered') expectations.push({ type: 'ordered' });
      else if (suffix !== '') throw new SeriesNotationError(`line ${lineNo}: unknown command ${words[0]}`);
      let cmd: EvalCommand;
      const base = { kind: 'eval' as const, line: lineNo, expectations, expectedScalar: null, expectedString: null, rangeVector: null, series: [], raw: '' };
      if (words[1] === 'instant') {
        const m = /^\S+\s+instant\s+at\s+(\S+)\s+([\s\S]*)$/.exec(text);
        if (!m) throw new SeriesNotationError(`line ${lineNo}: bad eval header`);
        const at = duration(m[1], lineNo);
        cmd = { ...base, range: false, start: at, end: at, step: 0, expr: m[2] };
      } else if (words[1] === 'range') {
        const m = /^\S+\s+range\s+from\s+(\S+)\s+to\s+(\S+)\s+step\s+(\S+)\s+([\s\S]*)$/.exec(text);
        if (!m) throw new SeriesNotationError(`line ${lineNo}: bad eval header`);
        cmd = { ...base, range: true, start: duration(m[1], lineNo), end: duration(m[2], lineNo), step: duration(m[3], lineNo), expr: m[4] };
      } else throw new SeriesNotationError(`line ${lineNo}: bad eval header ${JSON.stringify(text)}`);
      takeBlock();
      cmd.raw = block.map((b) => b.text).join('\n');
      for (let k = 0; k < block.length; k++) {
        const b = block[k];
        const rv = /^expect\s+range\s+vector\s+from\s+(\S+)\s+to\s+(\S+)\s+step\s+(\S+)$/.exec(b.text);
        if (rv) {
          cmd.rangeVector = { from: duration(rv[1], b.line), to: duration(rv[2], b.line), step: duration(rv[3], b.line) };
          cmd.start = cmd.end = cmd.rangeVector.to;
          continue;
        }
        const es = /^expect\s+string\s+(.*)$/.exec(b.text);
        if (es) {
          cmd.expectedString = unquoteString(es[1].trim());
          continue;
        }
        if (/^expect\s/.test(b.text)) {
          cmd.expectations.push(parseExpectation(b.text, b.line));
          continue;
        }
        if (/^expected_fail_(message|regexp)\s/.test(b.text)) {
          const m = /^expected_fail_(message|regexp)\s+(.*)$/.exec(b.text) as RegExpExecArray;
          const f = cmd.expectations.find((x) => x.type === 'fail');
          if (f) {
            if (m[1] === 'message') f.msg = m[2];
            else f.regex = m[2];
          }
          continue;
        }
        if (isNumber(b.text)) {
          cmd.expectedScalar = parseNumber(b.text);
          // The block ends after a scalar; anything further is read as new commands.
          if (k + 1 < block.length) i = block[k + 1].line - 1;
          break;
        }
        cmd.series.push(parseSeriesLine(b.text, b.line));
      }
      cmds.push(cmd);
      continue;
    }
    throw new SeriesNotationError(`line ${lineNo}: unknown command ${JSON.stringify(words[0])}`);
  }
  return cmds;
}
