import { escapeHtml, textToHtml } from './html';
import { renderText, type TemplateVars } from './placeholders';
import type { Audience, CompiledTemplate, TemplateChannel } from './template-file';

export interface RenderedMessage {
  subject?: string;
  text: string;
  html?: string;
}

/** What a preview page lists: enough to pick a template and render it with its sample. */
export interface TemplateSummary {
  name: string;
  file: string;
  audience: Audience;
  description: string;
  channels: TemplateChannel[];
  variables: readonly string[];
  sample?: TemplateVars;
}

/** The loaded templates by name. Pure: built from compiled templates (see loadTemplates for the file side). */
export class Templates {
  private readonly byName: ReadonlyMap<string, CompiledTemplate>;

  constructor(templates: readonly CompiledTemplate[]) {
    const byName = new Map<string, CompiledTemplate>();
    for (const t of templates) {
      const other = byName.get(t.name);
      if (other !== undefined) throw new Error(`template "${t.name}" is defined twice (${other.file}, ${t.file})`);
      byName.set(t.name, t);
    }
    this.byName = byName;
    // Samples render now, so a sample that misses a declared variable fails at load, not in a preview.
    for (const t of templates) if (t.sample !== undefined) for (const channel of channelsOf(t)) this.render(t.name, channel, t.sample);
  }

  /**
   * Renders one variant. Values are plain in text and SMS, HTML-escaped in HTML; an email without an html variant gets
   * HTML made from its rendered text. Throws naming template and variable when a variable is missing.
   */
  render(name: string, channel: TemplateChannel, vars: TemplateVars): RenderedMessage {
    const t = this.byName.get(name);
    if (t === undefined) throw new Error(`no template "${name}" (have: ${[...this.byName.keys()].join(', ')})`);
    try {
      if (channel === 'sms') {
        if (t.sms === undefined) throw new Error('has no sms variant');
        return { text: renderText(t.sms.text, vars) };
      }
      if (t.email === undefined) throw new Error('has no email variant');
      const text = renderText(t.email.text, vars);
      return {
        subject: renderText(t.email.subject, vars),
        text,
        html: t.email.html === undefined ? textToHtml(text) : renderText(t.email.html, vars, escapeHtml),
      };
    } catch (error) {
      throw new Error(`template "${name}" (${channel}, ${t.file}): ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  list(): TemplateSummary[] {
    return [...this.byName.values()]
      .map((t) => ({ name: t.name, file: t.file, audience: t.audience, description: t.description, channels: channelsOf(t), variables: t.variables, sample: t.sample }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }
}

function channelsOf(t: CompiledTemplate): TemplateChannel[] {
  const channels: TemplateChannel[] = [];
  if (t.email !== undefined) channels.push('email');
  if (t.sms !== undefined) channels.push('sms');
  return channels;
}
