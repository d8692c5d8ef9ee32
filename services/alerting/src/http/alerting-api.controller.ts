import { Controller, Get, HttpCode, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ruleTypeParam } from '../api/rules-params';
import { RuleManager } from '../evaluation/rule-manager';

const badData = (reply: FastifyReply, error: string) => {
  void reply.status(400);
  return { status: 'error', errorType: 'bad_data', error };
};

/** Prometheus' `/api/v1/rules`, `/api/v1/alerts` and `POST /-/reload`. */
@Controller()
export class AlertingApiController {
  constructor(private readonly rules: RuleManager) {}

  @Get('api/v1/rules')
  list(@Query('type') type: unknown, @Res({ passthrough: true }) reply: FastifyReply) {
    const t = ruleTypeParam(type);
    if (t instanceof Error) return badData(reply, t.message);
    return { status: 'success', data: this.rules.rules(t) };
  }

  @Get('api/v1/alerts')
  alerts() {
    return { status: 'success', data: this.rules.alerts() };
  }

  @Post('-/reload')
  @HttpCode(200)
  async reload(@Res({ passthrough: true }) reply: FastifyReply) {
    const result = await this.rules.reload();
    if (!result.ok) return badData(reply, `failed to reload rules:\n${result.errors.join('\n')}`);
    return { status: 'success', data: { groups: result.groups, rules: result.rules } };
  }
}
