import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { AlertmanagerApiService, type AlertQuery } from './alertmanager-api.service';
import { boolParam, listParam, silenceIdParam, stringParam } from './alertmanager-api.schemas';

type QueryParams = Record<string, unknown>;

function alertQuery(q: QueryParams, withUnprocessed: boolean): AlertQuery {
  if (withUnprocessed) boolParam(q.unprocessed, 'unprocessed', true);
  return {
    filter: listParam(q.filter),
    receiver: stringParam(q.receiver),
    active: boolParam(q.active, 'active', true),
    silenced: boolParam(q.silenced, 'silenced', true),
    inhibited: boolParam(q.inhibited, 'inhibited', true),
  };
}

/** Alertmanager's API v2 (api/v2/openapi.yaml), so amtool, Grafana and Prometheus' notifier work unchanged. */
@Controller('api/v2')
export class AlertmanagerApiController {
  constructor(private readonly api: AlertmanagerApiService) {}

  @Get('status')
  status() {
    return this.api.status();
  }

  @Get('receivers')
  receivers() {
    return this.api.receivers();
  }

  @Get('alerts')
  alerts(@Query() q: QueryParams) {
    return this.api.getAlerts(alertQuery(q, true));
  }

  @Post('alerts')
  @HttpCode(200)
  async postAlerts(@Body() body: unknown): Promise<void> {
    await this.api.postAlerts(body);
  }

  @Get('alerts/groups')
  groups(@Query() q: QueryParams) {
    return this.api.getAlertGroups(alertQuery(q, false));
  }

  @Get('silences')
  silences(@Query() q: QueryParams) {
    return this.api.getSilences(listParam(q.filter));
  }

  @Post('silences')
  @HttpCode(200)
  postSilence(@Body() body: unknown) {
    return this.api.postSilence(body);
  }

  @Get('silence/:id')
  silence(@Param('id') id: string) {
    return this.api.getSilence(silenceIdParam(id));
  }

  @Delete('silence/:id')
  @HttpCode(200)
  async deleteSilence(@Param('id') id: string): Promise<void> {
    await this.api.deleteSilence(silenceIdParam(id));
  }
}
