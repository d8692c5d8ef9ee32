import { InterimTemplateEngine } from './interim-template-engine';
import type { RuleTemplateEngine } from './rule-templates';

/** The template engine rules use (the interim one until services/alerting/src/templates is merged). */
export function createRuleTemplateEngine(): RuleTemplateEngine {
  return new InterimTemplateEngine();
}
