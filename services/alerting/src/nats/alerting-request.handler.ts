import type { Msg, NatsConnection } from '@nats-io/nats-core';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { QueueGroups, Subjects } from '@vigil/contracts';
import { CONFIG, describeError, LOGGER, NATS, NatsRequestServer, prometheusErrorBody, type Logger } from '@vigil/platform';
import { parseRulesParams } from '../api/rules-params';
import type { AlertingConfig } from '../config/alerting-config';
import { RuleManager } from '../evaluation/rule-manager';

/**
 * `alerting.v1.rules` / `alerting.v1.alerts`: the HTTP API's answers in Prometheus' envelope, for the query service
 * (AlertingStateClient), which forwards Grafana's /api/v1/rules and /api/v1/alerts here. Body: the query parameters.
 */
@Injectable()
export class AlertingRequestHandler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly server: NatsRequestServer;

  constructor(
    @Inject(NATS) nc: NatsConnection,
    @Inject(CONFIG) private readonly config: AlertingConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly rules: RuleManager,
  ) {
    this.server = new NatsRequestServer(nc, logger);
  }

  onApplicationBootstrap(): void {
    const prefix = this.config.ALERTING_SUBJECT_PREFIX;
    // Prometheus' error envelope; internals are logged, never sent.
    const onError = (error: unknown) => {
      this.logger.error({ err: error }, 'alerting request failed');
      return prometheusErrorBody(describeError(error));
    };
    this.server.serve({ subject: `${prefix}${Subjects.alertingRules}`, queue: QueueGroups.alerting, handle: async (m) => this.rulesReply(m), onError });
    this.server.serve({ subject: `${prefix}${Subjects.alertingAlerts}`, queue: QueueGroups.alerting, handle: async () => ({ status: 'success', data: this.rules.alerts() }), onError });
  }

  onApplicationShutdown(): Promise<void> {
    return this.server.stop();
  }

  private rulesReply(message: Msg) {
    let params: Record<string, unknown> = {};
    try {
      const text = new TextDecoder().decode(message.data);
      if (text) params = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return { status: 'error', errorType: 'bad_data', error: 'request body is not JSON' };
    }
    const filter = parseRulesParams(params);
    if (filter instanceof Error) return { status: 'error', errorType: 'bad_data', error: filter.message };
    const data = this.rules.rules(filter);
    if (data instanceof Error) return { status: 'error', errorType: 'bad_data', error: data.message };
    return { status: 'success', data };
  }
}
