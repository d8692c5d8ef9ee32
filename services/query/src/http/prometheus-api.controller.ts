import { Controller, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { printExpr } from '@vigil/promql';
import { AlertingStateClient } from '../alerting/alerting-state.client';
import { astToJson } from '../api/ast-json';
import { MAX_TIME, MIN_TIME, parseDurationParam, parseLimit, parseMatchParams, parseTime } from '../api/prometheus-params';
import { CatalogService } from '../query/catalog.service';
import { PromQLQueryService } from '../query/promql-query.service';
import type { Resolution } from '@vigil/query-storage';
import { BUILD_INFO } from './build-info';
import { callerOf } from './caller';
import { RequestParams } from './request-params';
import { badData } from '@vigil/platform';

const RESOLUTIONS = new Set(['auto', 'raw', '1m', '1h']);

/** Prometheus' success envelope; `warnings`/`infos` only when there are some, as Prometheus omits them. */
function success(data: unknown, warnings: readonly string[] = [], infos: readonly string[] = []) {
  return { status: 'success', data, ...(warnings.length ? { warnings } : {}), ...(infos.length ? { infos } : {}) };
}

/**
 * The Prometheus HTTP API v1 (what Grafana's Prometheus data source calls). Thin: read the parameters the way
 * Prometheus does, delegate, wrap in Prometheus' envelope. Errors become `{"status":"error","errorType","error"}`.
 */
@Controller('api/v1')
export class PrometheusApiController {
  constructor(
    private readonly queries: PromQLQueryService,
    private readonly catalog: CatalogService,
    private readonly alerting: AlertingStateClient,
  ) {}

  @Get('query')
  queryGet(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.instant(request, reply);
  }

  @Post('query')
  @HttpCode(200)
  queryPost(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.instant(request, reply);
  }

  @Get('query_range')
  rangeGet(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.range(request, reply);
  }

  @Post('query_range')
  @HttpCode(200)
  rangePost(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.range(request, reply);
  }

  @Get('series')
  seriesGet(@Req() request: FastifyRequest) {
    return this.series(request);
  }

  @Post('series')
  @HttpCode(200)
  seriesPost(@Req() request: FastifyRequest) {
    return this.series(request);
  }

  @Get('labels')
  labelsGet(@Req() request: FastifyRequest) {
    return this.labels(request);
  }

  @Post('labels')
  @HttpCode(200)
  labelsPost(@Req() request: FastifyRequest) {
    return this.labels(request);
  }

  @Get('label/:name/values')
  async labelValues(@Param('name') name: string, @Req() request: FastifyRequest) {
    const p = RequestParams.of(request);
    const label = decodeLabelName(name);
    const answer = await this.catalog.labelValues(label, parseMatchParams(p.getAll('match[]')), catalogRange(p), parseLimit(p.get('limit')));
    return success(answer.data, answer.warnings);
  }

  @Get('metadata')
  async metadata(@Req() request: FastifyRequest) {
    const p = RequestParams.of(request);
    return success(await this.catalog.metadata(p.get('metric') || undefined, parseLimit(p.get('limit'))));
  }

  /** No `features` field: Grafana reads a non-empty one as Mimir and then calls Mimir's ruler API. */
  @Get('status/buildinfo')
  buildInfo() {
    return success(BUILD_INFO);
  }

  /** Exemplars are not stored; the probe Grafana sends gets an empty success list after the usual checks. */
  @Get('query_exemplars')
  exemplarsGet(@Req() request: FastifyRequest) {
    return this.exemplars(request);
  }

  @Post('query_exemplars')
  @HttpCode(200)
  exemplarsPost(@Req() request: FastifyRequest) {
    return this.exemplars(request);
  }

  @Get('format_query')
  formatGet(@Req() request: FastifyRequest) {
    return success(printExpr(this.queries.parse(required(RequestParams.of(request), 'query')).expr));
  }

  @Post('format_query')
  @HttpCode(200)
  formatPost(@Req() request: FastifyRequest) {
    return this.formatGet(request);
  }

  @Get('parse_query')
  parseGet(@Req() request: FastifyRequest) {
    return success(astToJson(this.queries.parse(required(RequestParams.of(request), 'query')).expr));
  }

  @Post('parse_query')
  @HttpCode(200)
  parsePost(@Req() request: FastifyRequest) {
    return this.parseGet(request);
  }

  /** Rule groups and alerts from the alerting service (Grafana reads both from the data source); empty without one. */
  @Get('rules')
  async rules(@Req() request: FastifyRequest) {
    const p = RequestParams.of(request);
    const params: Record<string, string | string[]> = {};
    for (const name of ['type', 'rule_name[]', 'rule_group[]', 'file[]', 'match[]', 'exclude_alerts', 'group_limit', 'group_next_token']) {
      const values = p.getAll(name);
      if (values.length) params[name] = name.endsWith('[]') ? values : (values[0] as string);
    }
    return success(await this.alerting.rules(params));
  }

  @Get('alerts')
  async alerts() {
    return success(await this.alerting.alerts());
  }

  private async instant(request: FastifyRequest, reply: FastifyReply) {
    const p = RequestParams.of(request);
    const query = required(p, 'query');
    const time = p.get('time') ? parseTime(p.get('time') as string, 'time') : Date.now();
    const answer = await this.queries.instant({ query, time, timeoutMs: timeout(p), resolution: resolution(p) }, callerOf(request, reply));
    return success(answer.data, answer.warnings, answer.infos);
  }

  private async range(request: FastifyRequest, reply: FastifyReply) {
    const p = RequestParams.of(request);
    const start = parseTime(required(p, 'start'), 'start');
    const end = parseTime(required(p, 'end'), 'end');
    if (end < start) throw badData('end timestamp must not be before start time');
    const step = parseDurationParam(required(p, 'step'), 'step');
    if (step <= 0) throw badData('zero or negative query resolution step widths are not accepted. Try a positive integer');
    // Prometheus' limit: 11,000 points per series.
    if ((end - start) / step > 11_000) throw badData('exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)');
    const query = required(p, 'query');
    const answer = await this.queries.range({ query, start, end, step, timeoutMs: timeout(p), resolution: resolution(p) }, callerOf(request, reply));
    return success(answer.data, answer.warnings, answer.infos);
  }

  private async series(request: FastifyRequest) {
    const p = RequestParams.of(request);
    const match = p.getAll('match[]');
    if (match.length === 0) throw badData('no match[] parameter provided');
    const answer = await this.catalog.series(parseMatchParams(match), catalogRange(p), parseLimit(p.get('limit')));
    return success(answer.data, answer.warnings);
  }

  private async labels(request: FastifyRequest) {
    const p = RequestParams.of(request);
    const answer = await this.catalog.labelNames(parseMatchParams(p.getAll('match[]')), catalogRange(p), parseLimit(p.get('limit')));
    return success(answer.data, answer.warnings);
  }

  private exemplars(request: FastifyRequest) {
    const p = RequestParams.of(request);
    this.queries.parse(required(p, 'query'));
    catalogRange(p);
    return success([]);
  }
}

function required(p: RequestParams, name: string): string {
  const value = p.get(name);
  if (value === undefined || value === '') {
    throw badData(name === 'query' ? 'invalid parameter "query": unknown position: parse error: no expression found in input' : `invalid parameter ${JSON.stringify(name)}: cannot parse "" to a valid ${name === 'step' ? 'duration' : 'timestamp'}`);
  }
  return value;
}

function timeout(p: RequestParams): number | undefined {
  const value = p.get('timeout');
  return value ? parseDurationParam(value, 'timeout') : undefined;
}

/** `resolution=raw|1m|1h|auto` forces (or lets us pick) the stored tier that answers. */
function resolution(p: RequestParams): Resolution | 'auto' {
  const value = p.get('resolution') ?? 'auto';
  if (!RESOLUTIONS.has(value)) throw badData(`invalid parameter "resolution": ${JSON.stringify(value)} is not one of auto, raw, 1m, 1h`);
  return value as Resolution | 'auto';
}

function catalogRange(p: RequestParams) {
  const start = p.get('start') ? parseTime(p.get('start') as string, 'start') : MIN_TIME;
  const end = p.get('end') ? parseTime(p.get('end') as string, 'end') : MAX_TIME;
  return { start: start === MIN_TIME ? undefined : start, end: end === MAX_TIME ? undefined : end };
}

/** Label names in the path may be UTF-8, escaped Prometheus-style as `U__` + `_<hex>_` runs. */
function decodeLabelName(name: string): string {
  let label = name;
  if (label.startsWith('U__')) {
    label = label.slice(3).replace(/_([0-9a-fA-F]+)_/g, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)));
  }
  if (label === '' || /[\u0000]/.test(label)) throw badData(`invalid label name: ${JSON.stringify(name)}`);
  return label;
}
