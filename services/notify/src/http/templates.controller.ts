import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { parseWith, VigilError } from '@vigil/platform';
import { z } from 'zod';
import { TEMPLATES } from '../notify.tokens';
import { TemplateChannelSchema, type Templates, type TemplateVars } from '../templates';

const PreviewQuerySchema = z.object({ channel: TemplateChannelSchema.default('email') }).strict();
const PreviewBodySchema = z.object({ channel: TemplateChannelSchema.default('email'), vars: z.record(z.string(), z.unknown()) }).strict();

/**
 * The message templates (NOTIFY_TEMPLATES_DIR): `GET /api/v1/templates` lists them (audience, channels, variables,
 * sample); `GET /api/v1/templates/:name/preview?channel=` renders one with its sample, `POST` with given variables.
 */
@Controller('api/v1/templates')
export class TemplatesController {
  constructor(@Inject(TEMPLATES) private readonly templates: Templates) {}

  @Get()
  list() {
    return { templates: this.templates.list() };
  }

  @Get(':name/preview')
  sample(@Param('name') name: string, @Query() query: unknown) {
    const { channel } = parseWith(PreviewQuerySchema, query, 'query');
    const template = this.templates.list().find((t) => t.name === name);
    if (!template) throw new VigilError('not_found', 'no_template', `no template "${name}" (have: ${this.templates.list().map((t) => t.name).join(', ')})`);
    return this.render(name, channel, template.sample ?? {});
  }

  @Post(':name/preview')
  @HttpCode(200)
  preview(@Param('name') name: string, @Body() body: unknown) {
    const { channel, vars } = parseWith(PreviewBodySchema, body);
    return this.render(name, channel, vars as TemplateVars);
  }

  private render(name: string, channel: 'email' | 'sms', vars: TemplateVars) {
    try {
      return { name, channel, ...this.templates.render(name, channel, vars) };
    } catch (error) {
      // A missing variable or template is the caller's to fix: named in a 422.
      throw new VigilError('unprocessable', 'template_error', (error as Error).message);
    }
  }
}
