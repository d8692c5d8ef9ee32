import { Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { badData } from '@vigil/platform';
import { parseRulesParams } from '../api/rules-params';
import { RuleManager } from '../evaluation/rule-manager';

/** Prometheus' `/api/v1/rules`, `/api/v1/alerts` and `POST /-/reload`. */
@Controller()
export class AlertingApiController {
  constructor(private readonly rules: RuleManager) {}

  @Get('api/v1/rules')
  list(@Query() query: Record<string, unknown>) {
    const filter = parseRulesParams(query);
    if (filter instanceof Error) throw badData(filter.message);
    const data = this.rules.rules(filter);
    if (data instanceof Error) throw badData(data.message);
    return { status: 'success', data };
  }

  @Get('api/v1/alerts')
  alerts() {
    return { status: 'success', data: this.rules.alerts() };
  }

  @Post('-/reload')
  @HttpCode(200)
  async reload() {
    const result = await this.rules.reload();
    if (!result.ok) throw badData(`failed to reload rules:\n${result.errors.join('\n')}`);
    return { status: 'success', data: { groups: result.groups, rules: result.rules } };
  }
}
