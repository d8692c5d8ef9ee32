import { TemplateError, expandTemplate, parseTemplate, type ParsedTemplate } from '../templates';
import type { AlertTemplateData, RuleTemplateEngine, TemplateQuery } from './rule-templates';

/** RuleTemplateEngine over the template engine (services/alerting/src/templates). */
export class PrometheusTemplateEngine implements RuleTemplateEngine {
  /** Parsed templates by name and text (null: does not parse), as rules expand the same ones at every tick. */
  private readonly parsed = new Map<string, ParsedTemplate | null>();

  constructor(private readonly cacheSize = 20_000) {}

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
    return expandTemplate(this.parsedOrText(text, name), data, { name, now: () => evalTime, ...(query ? { query } : {}) });
  }

  /** The cached parse; the text itself when it does not parse, so the expansion reports the error as usual. */
  private parsedOrText(text: string, name: string): ParsedTemplate | string {
    const key = `${name}\u0000${text}`;
    let parsed = this.parsed.get(key);
    if (parsed === undefined) {
      try {
        parsed = parseTemplate(text, name);
      } catch {
        parsed = null;
      }
      if (this.parsed.size >= this.cacheSize) this.parsed.delete(this.parsed.keys().next().value as string);
      this.parsed.set(key, parsed);
    }
    return parsed ?? text;
  }
}

/** The template engine rules use. */
export function createRuleTemplateEngine(): RuleTemplateEngine {
  return new PrometheusTemplateEngine();
}
