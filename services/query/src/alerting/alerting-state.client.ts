import { errors, type NatsConnection } from '@nats-io/nats-core';
import { Inject, Injectable } from '@nestjs/common';
import { Subjects } from '@vigil/contracts';
import { CONFIG, NATS, PrometheusApiError } from '@vigil/platform';
import type { QueryConfig } from '../config/query-config';

const TIMEOUT_MS = 5000;

/**
 * `/api/v1/rules` and `/api/v1/alerts` come from the alerting service over NATS (`alerting.v1.rules|alerts`, which
 * answer Prometheus' `data`), because Grafana reads them from the data source URL. While no alerting instance runs,
 * NATS says "no responders" and the answer is the empty list Prometheus gives without rules.
 */
@Injectable()
export class AlertingStateClient {
  constructor(
    @Inject(NATS) private readonly nc: NatsConnection,
    @Inject(CONFIG) private readonly config: QueryConfig,
  ) {}

  rules(params: Record<string, string | string[]>): Promise<unknown> {
    return this.ask(Subjects.alertingRules, params, { groups: [] });
  }

  alerts(): Promise<unknown> {
    return this.ask(Subjects.alertingAlerts, {}, { alerts: [] });
  }

  private async ask(subject: string, params: Record<string, string | string[]>, whenAbsent: unknown): Promise<unknown> {
    try {
      const reply = await this.nc.request(`${this.config.QUERY_SUBJECT_PREFIX}${subject}`, JSON.stringify(params), { timeout: TIMEOUT_MS });
      const body = reply.json<{ status?: string; data?: unknown; errorType?: string; error?: string }>();
      if (body.status === 'success') return body.data;
      throw new PrometheusApiError('internal', `alerting answered: ${body.error ?? 'an unexpected reply'}`);
    } catch (error) {
      // nats.js reports "no responders" as a RequestError whose cause is NoRespondersError.
      if (error instanceof errors.NoRespondersError || (error instanceof errors.RequestError && error.isNoResponders())) return whenAbsent;
      if (error instanceof errors.TimeoutError) throw new PrometheusApiError('unavailable', `the alerting service did not answer within ${TIMEOUT_MS / 1000}s`);
      throw error;
    }
  }
}
