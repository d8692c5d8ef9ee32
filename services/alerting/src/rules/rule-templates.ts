/**
 * The seam between rules and the template engine (services/alerting/src/templates: Go text/template with
 * Prometheus' functions). Rules only need to know whether a label or annotation parses, and to expand it for one
 * alert. Texts are the rule's own: the engine adds Prometheus' `$labels`/`$externalLabels`/`$externalURL`/`$value`
 * definitions itself.
 */

/** What `$labels`, `$externalLabels`, `$externalURL` and `$value` see (Prometheus' template.AlertTemplateData). */
export interface AlertTemplateData {
  labels: Record<string, string>;
  externalLabels: Record<string, string>;
  externalURL: string;
  value: number;
}

/** Backs the templates' `query` function: an instant query at the evaluation time. */
export type TemplateQuery = (expr: string) => Promise<readonly { labels: Readonly<Record<string, string>>; value: number }[]>;

export interface RuleTemplateEngine {
  /** Parses `text` as alert template `name`: Go's error text, or null when it parses. */
  check(text: string, name: string): string | null;
  /** Expands `text` for one alert at `evalTime` (ms). Never rejects: a failure reads `<error expanding template: …>`. */
  expand(text: string, name: string, data: AlertTemplateData, evalTime: number, query?: TemplateQuery): Promise<string> | string;
}

/** The template name Prometheus gives an alerting rule's labels and annotations. */
export function alertTemplateName(alert: string): string {
  return `__alert_${alert}`;
}
