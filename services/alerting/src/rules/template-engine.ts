import { TemplateError, expandTemplate, parseTemplate } from '../templates';
import type { AlertTemplateData, RuleTemplateEngine, TemplateQuery } from './rule-templates';

/** RuleTemplateEngine over the template engine (services/alerting/src/templates). */
export class PrometheusTemplateEngine implements RuleTemplateEngine {
  check(text: string, name: string): string | null {
    try {
      parseTemplate(text, name);
      return null;
    } catch (e) {
      if (e instanceof TemplateError) return e.message;
      throw e;
    }
  }

  expand(text: string, name: string, data: AlertTemplateData, evalTime: number, query?: TemplateQuery): Promise<string> {
    return expandTemplate(text, data, { name, now: () => evalTime, ...(query ? { query } : {}) });
  }
}

/** The template engine rules use. */
export function createRuleTemplateEngine(): RuleTemplateEngine {
  return new PrometheusTemplateEngine();
}
