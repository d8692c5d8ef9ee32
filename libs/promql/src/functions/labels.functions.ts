import { RE2JS } from 're2js';
import { getLabel, withLabel, type Labels } from '../model/labels';

/**
 * label_replace / label_join as pure label transforms. Validation errors carry Prometheus' messages; the engine
 * turns them into query failures (and still has to reject duplicate output label sets itself).
 */

/** Longest regex accepted. RE2 matching is linear, but compiling a huge pattern per query is still a DoS vector. */
export const MAX_LABEL_REPLACE_PATTERN_LENGTH = 16_384;

/** Prometheus 3 validates label names in UTF-8 mode: every non-empty, well-formed string. */
export function isValidLabelName(name: string): boolean {
  return name.length > 0 && !LONE_SURROGATE.test(name);
}

/** A JS string is well-formed UTF-16 (= valid UTF-8 once encoded) unless it holds an unpaired surrogate. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export type LabelTransform = (labels: Labels) => Labels;

/**
 * Validates and compiles label_replace's arguments once; the returned transform is applied per series.
 * The regex is fully anchored and `.` matches newlines (Go: `^(?s:re)$`); on no match the labels are unchanged;
 * an empty replacement result removes `dst`.
 */
export function compileLabelReplace(dst: string, replacement: string, src: string, regex: string): LabelTransform {
  if (regex.length > MAX_LABEL_REPLACE_PATTERN_LENGTH) {
    throw new Error(
      `invalid regular expression in label_replace(): pattern is ${regex.length} characters long, the limit is ${MAX_LABEL_REPLACE_PATTERN_LENGTH}`,
    );
  }
  let re: RE2JS;
  try {
    re = RE2JS.compile(`^(?s:${regex})$`);
  } catch {
    throw new Error(`invalid regular expression in label_replace(): ${regex}`);
  }
  if (!isValidLabelName(dst)) throw new Error(`invalid destination label name in label_replace(): ${dst}`);
  return (labels) => {
    const srcValue = getLabel(labels, src);
    const m = re.matcher(srcValue);
    if (!m.find()) return labels;
    const groupCount = m.groupCount();
    const named = m.getNamedGroups();
    const value = expandTemplate(replacement, (name, num) => {
      if (num >= 0) return num <= groupCount ? (m.group(num) ?? '') : '';
      return named[name] ?? '';
    });
    return withLabel(labels, dst, value);
  };
}

export function labelReplace(labels: Labels, dst: string, replacement: string, src: string, regex: string): Labels {
  return compileLabelReplace(dst, replacement, src, regex)(labels);
}

/**
 * Go's Regexp.Expand: `$$` is a literal `$`; `$name`/`${name}` take the longest run of letters, digits and `_`
 * (so `$1x` means the group named "1x", which does not exist → ""); an all-digit name is a group number; a `$`
 * not followed by a valid name is kept literally.
 */
export function expandTemplate(template: string, group: (name: string, num: number) => string): string {
  let out = '';
  let rest = template;
  for (;;) {
    const at = rest.indexOf('$');
    if (at < 0) break;
    out += rest.slice(0, at);
    rest = rest.slice(at + 1);
    if (rest.startsWith('$')) {
      out += '$';
      rest = rest.slice(1);
      continue;
    }
    const ref = parseGroupRef(rest);
    if (ref === undefined) {
      out += '$';
      continue;
    }
    out += group(ref.name, ref.num);
    rest = rest.slice(ref.consumed);
  }
  return out + rest;
}

const NAME_CHAR = /^[\p{L}\p{Nd}_]+/u;

function parseGroupRef(s: string): { name: string; num: number; consumed: number } | undefined {
  const brace = s.startsWith('{');
  const body = brace ? s.slice(1) : s;
  const name = NAME_CHAR.exec(body)?.[0];
  if (name === undefined) return undefined;
  let consumed = name.length;
  if (brace) {
    if (body[name.length] !== '}') return undefined;
    consumed += 2;
  }
  let num = /^[0-9]+$/.test(name) && name.length <= 8 ? Number(name) : -1;
  if (name.length > 1 && name.startsWith('0')) num = -1; // Go disallows leading zeros in group numbers
  return { name, num, consumed };
}

/** Validates label_join's names once (sources first, as Prometheus does); the transform joins per series. */
export function compileLabelJoin(dst: string, separator: string, srcLabels: readonly string[]): LabelTransform {
  for (const src of srcLabels) {
    if (!isValidLabelName(src)) throw new Error(`invalid source label name in label_join(): ${src}`);
  }
  if (!isValidLabelName(dst)) throw new Error(`invalid destination label name in label_join(): ${dst}`);
  const sources = [...srcLabels];
  return (labels) => withLabel(labels, dst, sources.map((src) => getLabel(labels, src)).join(separator));
}

export function labelJoin(labels: Labels, dst: string, separator: string, srcLabels: readonly string[]): Labels {
  return compileLabelJoin(dst, separator, srcLabels)(labels);
}
