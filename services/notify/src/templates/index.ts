export { loadTemplates } from './load-templates';
export { Templates } from './templates';
export type { RenderedMessage, TemplateSummary } from './templates';
export {
  AudienceSchema,
  TemplateChannelSchema,
  TemplateFileSchema,
  EmailVariantSchema,
  SmsVariantSchema,
  compileTemplateFile,
} from './template-file';
export type { Audience, TemplateChannel, TemplateFile, CompiledTemplate } from './template-file';
export type { TemplateVars, TemplateValue } from './placeholders';
export { escapeHtml, textToHtml } from './html';
