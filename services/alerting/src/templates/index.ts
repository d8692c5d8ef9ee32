// Alert label and annotation templates in Prometheus' template language (Go text/template + Prometheus' functions).
export {
  ALERT_TEMPLATE_PRELUDE,
  alertTemplateName,
  expandTemplate,
  parseTemplate,
  tryExpandTemplate,
  type AlertTemplateData,
  type ExpandOptions,
  type ExpandResult,
  type ParsedTemplate,
  type ParseOptions,
} from './expand';
export type { QuerySample, TemplateQueryFn } from './functions';
export { TemplateError } from './parser';
