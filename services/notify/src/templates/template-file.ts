import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { compileText, placeholdersOf, type CompiledText, type TemplateVars } from './placeholders';

/** Who a template speaks to. */
export const AudienceSchema = z.enum(['responders', 'stakeholders', 'customers']);
export type Audience = z.infer<typeof AudienceSchema>;

export const TemplateChannelSchema = z.enum(['email', 'sms']);
export type TemplateChannel = z.infer<typeof TemplateChannelSchema>;

const VariablePathSchema = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/, 'a name or dotted.path');

const TemplateVarsSchema: z.ZodType<TemplateVars> = z.lazy(() => z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), TemplateVarsSchema])));

/** `email`: subject and text; html optional (rendered from the text when absent). */
export const EmailVariantSchema = z.object({ subject: z.string().min(1), text: z.string().min(1), html: z.string().min(1).optional() }).strict();
/** `sms`: text only, kept short (the SMS channel fits it to segments; a template should not rely on that). */
export const SmsVariantSchema = z.object({ text: z.string().min(1).max(320) }).strict();

/**
 * One template file, `<name>.yaml`. Every placeholder must be declared in `variables`, so a typo is a load-time error
 * naming file and placeholder rather than a failed page at 3 a.m.; `sample` (optional) is what previews render with,
 * and is rendered at load, so a sample that misses a variable fails at load too.
 */
export const TemplateFileSchema = z
  .object({
    audience: AudienceSchema,
    description: z.string().default(''),
    variables: z.array(VariablePathSchema).min(1),
    sample: TemplateVarsSchema.optional(),
    email: EmailVariantSchema.optional(),
    sms: SmsVariantSchema.optional(),
  })
  .strict()
  .refine((t) => t.email !== undefined || t.sms !== undefined, { message: 'a template needs an email or an sms variant' });
export type TemplateFile = z.infer<typeof TemplateFileSchema>;

/** A template ready to render: its texts compiled, placeholders checked against the declared variables. */
export interface CompiledTemplate {
  name: string;
  file: string;
  audience: Audience;
  description: string;
  variables: readonly string[];
  sample?: TemplateVars;
  email?: { subject: CompiledText; text: CompiledText; html?: CompiledText };
  sms?: { text: CompiledText };
}

export const TEMPLATE_NAME = /^[a-z0-9][a-z0-9-]*$/;

/** Parses and compiles one template file's source; every error names the file (and the field or placeholder). */
export function compileTemplateFile(name: string, file: string, source: string): CompiledTemplate {
  const fail = (what: string): never => {
    throw new Error(`template ${file}: ${what}`);
  };
  if (!TEMPLATE_NAME.test(name)) fail(`name "${name}" must be lowercase letters, digits and dashes`);
  let raw: unknown;
  try {
    raw = parseYaml(source);
  } catch (error) {
    fail(`not valid YAML: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = TemplateFileSchema.safeParse(raw);
  if (!parsed.success) return fail(z.prettifyError(parsed.error));
  const t = parsed.data;
  const declared = new Set(t.variables);
  const compile = (field: string, text: string): CompiledText => {
    let compiled: CompiledText = [];
    try {
      compiled = compileText(text);
    } catch (error) {
      fail(`${field}: ${error instanceof Error ? error.message : String(error)}`);
    }
    for (const path of placeholdersOf(compiled)) if (!declared.has(path)) fail(`${field}: unknown placeholder "{{ ${path} }}" (not in variables)`);
    return compiled;
  };
  return {
    name,
    file,
    audience: t.audience,
    description: t.description,
    variables: t.variables,
    sample: t.sample,
    email: t.email && {
      subject: compile('email.subject', t.email.subject),
      text: compile('email.text', t.email.text),
      html: t.email.html === undefined ? undefined : compile('email.html', t.email.html),
    },
    sms: t.sms && { text: compile('sms.text', t.sms.text) },
  };
}
