import { execute } from './exec';
import { hasTemplateFunction, templateFunctions, type TemplateQueryFn } from './functions';
import { GoMap, GoStruct, type GoValue } from './go-values';
import { timeMethodTable } from './go-time';
import { TemplateError, parse, type ParsedTree } from './parser';

/**
 * Prometheus' alert template expansion (rules/alerting.go + template/template.go): the text is prefixed with the
 * convenience variables `$labels`, `$externalLabels`, `$externalURL` and `$value`, parsed and run with
 * missingkey=zero against {Labels, ExternalLabels, ExternalURL, Value}, and any failure becomes the annotation
 * `<error expanding template: …>` instead of an exception.
 */

export const ALERT_TEMPLATE_PRELUDE =
  '{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}{{$externalURL := .ExternalURL}}{{$value := .Value}}';

/** The template name Prometheus gives an alerting rule's labels and annotations. */
export function alertTemplateName(alertName: string): string {
  return `__alert_${alertName}`;
}

export interface ParsedTemplate {
  readonly name: string;
  /** The text as parsed, prelude included. */
  readonly text: string;
  readonly tree: ParsedTree;
}

export interface ParseOptions {
  /** Prefix the alert prelude, as Prometheus does when it loads and when it expands a rule (default true). */
  readonly prelude?: boolean;
}

/**
 * Parses a template the way `promtool check rules` does: unknown functions and undefined variables are errors.
 * Throws TemplateError whose message is Go's, e.g. `template: __alert_InstanceDown:1: undefined variable "$label"`.
 */
export function parseTemplate(text: string, name = 'template', options: ParseOptions = {}): ParsedTemplate {
  const full = options.prelude === false ? text : ALERT_TEMPLATE_PRELUDE + text;
  return { name, text: full, tree: parse(name, full, hasTemplateFunction) };
}

export interface AlertTemplateData {
  readonly labels: Readonly<Record<string, string>>;
  /** The alert's sample value (Prometheus: float64). */
  readonly value: number | string;
  readonly externalLabels: Readonly<Record<string, string>>;
  readonly externalURL: string;
}

export interface ExpandOptions {
  /** Template name in error messages; Prometheus uses `__alert_<alertname>` (see alertTemplateName). */
  readonly name: string;
  /** Backs the `query` function; without it, `query` fails with an error in the output. */
  readonly query?: TemplateQueryFn;
  /** Evaluation time in milliseconds since the epoch, for `now` (default: Date.now). */
  readonly now?: () => number;
}

export type ExpandResult = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly error: string };

const ALERT_DATA_TYPE = 'struct { Labels map[string]string; ExternalLabels map[string]string; ExternalURL string; Value interface {} }';

export function alertDataValue(data: AlertTemplateData): GoStruct {
  return new GoStruct(
    ALERT_DATA_TYPE,
    new Map<string, GoValue>([
      ['Labels', GoMap.strings(data.labels)],
      ['ExternalLabels', GoMap.strings(data.externalLabels)],
      ['ExternalURL', data.externalURL],
      ['Value', data.value],
    ]),
    false,
  );
}

/**
 * Runs a template against any Go value as dot; the error, if any, is Prometheus' Expand error
 * (`error parsing template …` / `error executing template …`).
 */
export async function expandWith(
  template: string | ParsedTemplate,
  dot: GoValue,
  options: ExpandOptions & { readonly externalURL?: string; readonly prelude?: boolean },
): Promise<ExpandResult> {
  let parsed: ParsedTemplate;
  try {
    parsed = typeof template === 'string' ? parseTemplate(template, options.name, { prelude: options.prelude }) : template;
  } catch (e) {
    if (e instanceof TemplateError) return { ok: false, error: `error parsing template ${options.name}: ${e.message}` };
    return { ok: false, error: `panic expanding template ${options.name}: ${errorText(e)}` };
  }
  const funcs = templateFunctions({
    query: options.query,
    nowMs: (options.now ?? Date.now)(),
    externalURL: options.externalURL ?? '',
  });
  try {
    return { ok: true, text: await execute(parsed.tree, dot, { funcs }, timeMethodTable) };
  } catch (e) {
    if (e instanceof TemplateError) return { ok: false, error: `error executing template ${parsed.name}: ${e.message}` };
    return { ok: false, error: `panic expanding template ${parsed.name}: ${errorText(e)}` };
  }
}

/** Expands an alert label or annotation template; the error text (without the `<error expanding template>` frame). */
export function tryExpandTemplate(text: string | ParsedTemplate, data: AlertTemplateData, options: ExpandOptions): Promise<ExpandResult> {
  return expandWith(text, alertDataValue(data), { ...options, externalURL: data.externalURL });
}

/**
 * Expands an alert label or annotation template. Never throws: a template that fails to parse or execute yields
 * Prometheus' annotation text `<error expanding template: …>`.
 */
export async function expandTemplate(text: string | ParsedTemplate, data: AlertTemplateData, options: ExpandOptions): Promise<string> {
  try {
    const result = await tryExpandTemplate(text, data, options);
    return result.ok ? result.text : `<error expanding template: ${result.error}>`;
  } catch (e) {
    return `<error expanding template: panic expanding template ${options.name}: ${errorText(e)}>`;
  }
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
