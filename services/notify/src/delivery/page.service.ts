import type { AlertEvent } from '@vigil/contracts';
import type { Logger } from '@vigil/platform';
import type { Directory } from '../directory/directory';
import type { DeliveryRunner } from './delivery-runner';
import type { EscalationService } from '../escalation/escalation.service';
import { planPages } from './page-plan';

/** Alert events to pages: plan who is reached on which channel, deliver each once; when to look again if not all final. */
export class PageService {
  constructor(
    private readonly directory: Directory,
    private readonly runner: DeliveryRunner,
    private readonly logger: Logger,
    private readonly onUnknownTarget: (target: string) => void = () => undefined,
    private readonly escalations?: EscalationService,
  ) {}

  async handle(event: AlertEvent): Promise<{ retryAt?: number }> {
    if (event.targets.length === 0) return {};
    const policies = event.targets.filter((t) => t.kind === 'escalation_policy');
    if (policies.length > 0 && this.escalations) {
      // A firing group begins its escalations (one per policy while active; the escalation ticker pages the later
      // levels and retries); its resolve ends them.
      if (event.status === 'resolved') await this.escalations.resolved(event.groupKey);
      else for (const policy of policies) await this.escalations.begin(event, policy.id);
    }
    const direct = this.escalations ? { ...event, targets: event.targets.filter((t) => t.kind !== 'escalation_policy') } : event;
    if (direct.targets.length === 0) return {};
    // Resolved at the event's own time, so a redelivery after a handoff pages the same people.
    const { deliveries, unknownTargets } = planPages(direct, this.directory, Date.parse(event.at));
    for (const target of unknownTargets) {
      this.onUnknownTarget(target);
      this.logger.warn({ event: event.id, receiver: event.receiver, target }, 'page target not in the directory: nobody paged for it');
    }
    const result = await this.runner.run(deliveries);
    return result.pending > 0 ? { retryAt: result.nextAt } : {};
  }
}
