import { Controller, Get, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { formatDuration } from '@vigil/promql';
import { parseDurationParam, parseTime } from '../api/prometheus-params';
import { DependenciesService } from '../dependencies/dependencies.service';
import { DEFAULT_THRESHOLDS } from '../dependencies/dependency-graph';
import { callerOf } from './caller';
import { RequestParams } from './request-params';
import { badData } from '@vigil/platform';

function ratio(p: RequestParams, name: string, fallback: number): number {
  const value = p.get(name);
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw badData(`invalid parameter ${JSON.stringify(name)}: must be a number from 0 to 1`);
  return n;
}

/** `GET /api/v1/dependencies?window=5m`: the component graph with edge and node health (docs/query.md). */
@Controller('api/v1')
export class DependenciesController {
  constructor(private readonly dependencies: DependenciesService) {}

  @Get('dependencies')
  async graph(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const p = RequestParams.of(request);
    const windowMs = parseDurationParam(p.get('window') || '5m', 'window');
    if (windowMs < 1000) throw badData('invalid parameter "window": must be at least 1s');
    const time = p.get('time') ? parseTime(p.get('time') as string, 'time') : Date.now();
    const degraded = ratio(p, 'degraded_error_ratio', DEFAULT_THRESHOLDS.degradedErrorRatio);
    const failing = ratio(p, 'failing_error_ratio', DEFAULT_THRESHOLDS.failingErrorRatio);
    if (failing < degraded) throw badData('failing_error_ratio must not be below degraded_error_ratio');
    const p99 = p.get('degraded_p99') ? parseDurationParam(p.get('degraded_p99') as string, 'degraded_p99') / 1000 : DEFAULT_THRESHOLDS.degradedP99Seconds;
    const data = await this.dependencies.graph(formatDuration(windowMs), time, { degradedErrorRatio: degraded, failingErrorRatio: failing, degradedP99Seconds: p99 }, callerOf(request, reply));
    return { status: 'success', data };
  }
}
