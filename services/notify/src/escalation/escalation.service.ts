import { createHash } from 'node:crypto';
import type { AlertEvent } from '@vigil/contracts';
import type { Logger } from '@vigil/platform';
import { deliveriesFor, pageVars } from '../delivery/page-plan';
import type { DeliveryRunner } from '../delivery/delivery-runner';
import type { Directory } from '../directory/directory';
import { ackCode, signAck, verifyAck, type AckVerification } from './ack-token';
import { escalationStep } from './escalation';
import type { EscalationRecord, EscalationStore } from './escalation-store';

export interface EscalationServiceOptions {
  /** Signs acknowledgement links and derives SMS codes (NOTIFY_ACK_SECRET). */
  secret: string;
  /** Where acknowledgement links point (NOTIFY_PUBLIC_URL). */
  publicUrl: string;
  /** How long an instance holds a due escalation it took (longer than paging one level takes). */
  leaseMs: number;
  clock?: () => number;
}

/** How long an acknowledgement link stays valid. */
const ACK_LINK_TTL_MS = 7 * 86_400_000;

/**
 * Escalation policies at work: an alert group's page begins an escalation (one per group and policy while active),
 * pages its first level at once, and each later level when the one before had its delay without an
 * acknowledgement, round after round (`repeat`); an acknowledgement (link, SMS reply, REST) or the group's resolve
 * ends it. Each (escalation, round, level, person, channel) is a delivery of its own, so it goes out once.
 */
export class EscalationService {
  private readonly clock: () => number;

  constructor(
    private readonly store: EscalationStore,
    private readonly directory: Directory,
    private readonly runner: DeliveryRunner,
    private readonly logger: Logger,
    private readonly options: EscalationServiceOptions,
  ) {
    this.clock = options.clock ?? Date.now;
  }

  /** Starts the escalation of this event's group under `policyId` (unless one is active) and pages what is due. */
  async begin(event: AlertEvent, policyId: string): Promise<{ id: string; started: boolean; retryAt?: number }> {
    const id = createHash('sha256').update(`${event.id}\u0000${policyId}`).digest('hex').slice(0, 32);
    const startedAt = Date.parse(event.at);
    const record: EscalationRecord = { id, policyId, eventId: event.id, groupKey: event.groupKey, startedAt, status: 'active', vars: pageVars(event), code: ackCode(id, this.options.secret) };
    const started = await this.store.start(record, startedAt);
    if (!started) return { id, started };
    this.logger.info({ escalation: id, policy: policyId, group: event.groupKey }, 'escalation started');
    const retryAt = await this.process(id);
    return retryAt === undefined ? { id, started } : { id, started, retryAt };
  }

  /** Works every escalation that is due; what it paged is due again at its next level. */
  async tick(): Promise<number> {
    const ids = await this.store.takeDue(this.clock(), this.options.leaseMs);
    for (const id of ids) {
      try {
        await this.process(id);
      } catch (error) {
        this.logger.error({ escalation: id, err: (error as Error).message }, 'escalation step failed; due again after its lease');
      }
    }
    return ids.length;
  }

  async acknowledge(id: string, person: string, via: string): Promise<{ ok: boolean; record?: EscalationRecord }> {
    const ok = await this.store.end(id, 'acknowledged', this.clock(), { person, via });
    const record = await this.store.get(id);
    if (ok) this.logger.info({ escalation: id, person, via }, 'escalation acknowledged');
    return record ? { ok, record } : { ok };
  }

  /** An acknowledgement link's token checked with this service's secret. */
  verifyToken(token: string): AckVerification {
    return verifyAck(token, this.options.secret, this.clock());
  }

  async byCode(code: string): Promise<string | undefined> {
    return this.store.byCode(code);
  }

  get(id: string): Promise<EscalationRecord | undefined> {
    return this.store.get(id);
  }

  /** The group resolved: its escalations end. */
  async resolved(groupKey: string): Promise<void> {
    for (const id of await this.store.activeOfGroup(groupKey)) await this.store.end(id, 'resolved', this.clock());
  }

  /** Pages the level due now (once), and sets when to look again; undefined when nothing is left to wait for. */
  private async process(id: string): Promise<number | undefined> {
    const record = await this.store.get(id);
    if (!record || record.status !== 'active') return undefined;
    const policy = this.directory.policy(record.policyId);
    const now = this.clock();
    if (!policy) {
      this.logger.warn({ escalation: id, policy: record.policyId }, 'escalation policy no longer in the directory: escalation ended');
      await this.store.end(id, 'exhausted', now);
      return undefined;
    }
    const step = escalationStep(policy, record.startedAt, now);
    if (step.kind === 'done') {
      await this.store.end(id, 'exhausted', now);
      this.logger.warn({ escalation: id, policy: policy.id }, 'escalation exhausted: nobody acknowledged');
      return undefined;
    }
    if (step.kind === 'wait') {
      await this.store.reschedule(id, step.nextAt);
      return step.nextAt;
    }
    const { reach, unknown } = this.directory.resolve(step.targets, now);
    for (const target of unknown) this.logger.warn({ escalation: id, target }, 'escalation target not in the directory: nobody paged for it');
    const base = this.options.publicUrl.replace(/\/+$/, '');
    const deliveries = deliveriesFor(reach, {
      sourceEventId: `${record.eventId}/${policy.id}/r${step.round}l${step.level}`,
      kind: 'escalation-page',
      groupKey: record.groupKey,
      vars: (person) => {
        const ack = `${base}/api/v1/ack?token=${signAck({ pageId: id, person: person.id, expiresAt: now + ACK_LINK_TTL_MS }, this.options.secret)}`;
        // `link`: what an SMS keeps whole at its end when its text is shortened.
        return { ...record.vars, ack: { code: record.code }, escalation: { level: step.level + 1, policy: policy.name }, links: { ...(record.vars.links as Record<string, unknown>), ack }, link: ack };
      },
    });
    const result = await this.runner.run(deliveries);
    const next = result.pending > 0 ? Math.min(step.nextAt, result.nextAt ?? step.nextAt) : step.nextAt;
    await this.store.reschedule(id, next);
    return next;
  }
}
