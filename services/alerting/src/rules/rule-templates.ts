/**
 * The seam between rules and the template engine (Go text/template with Prometheus' functions). Rules only need to
 * know whether a label or annotation parses, and to expand it for one alert; the engine behind this interface can be
 * swapped without touching rule parsing or evaluation.
 */

/** What `$labels`, `$externalLabels`, `$externalURL` and `$value` see (Prometheus' template.AlertTemplateData). */
export interface AlertTemplateData {
  labels: Record<string, string>;
  externalLabels: Record<string, string>;
  externalURL: string;
  value: number;
}

export interface RuleTemplateEngine {
  /** Parses `text` (the definitions below already prepended) as template `name`: the error text, or null when it parses. */
  check(text: string, name: string): string | null;
  /** Expands `text` for one alert at `evalTime` (ms). Never throws: a failure reads `<error expanding template: …>`. */
  expand(text: string, name: string, data: AlertTemplateData, evalTime: number): string;
}

/** Prometheus prepends these so rule templates can say `$labels.x` instead of `.Labels.x` (rules/alerting.go). */
export const ALERT_TEMPLATE_DEFS = '{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}{{$externalURL := .ExternalURL}}{{$value := .Value}}';

/** The template name Prometheus gives an alerting rule's labels and annotations. */
export function alertTemplateName(alert: string): string {
  return `__alert_${alert}`;
}
