import { createHash, randomBytes } from 'node:crypto';
import { WrongExpectedSequenceError } from '@vigil/eventstore';
import { backOff } from '@vigil/platform';
import type { Actor } from '@vigil/contracts';
import { IncidentDomainError } from './domain-error';
import { KeyedLock } from './keyed-lock';
import { decide, evolve, type IncidentCommand, type IncidentState, type SitrepCadence } from './incident.decider';
import type { IncidentEventLog, PositionedEvent } from './incident-events.repository';

/** Every retry lost the race: the caller gets 409 and may try again. */
export class ConcurrentModificationError extends IncidentDomainError {
  constructor(incidentId: string, attempts: number) {
    super('conflict', 'concurrent_modification', `incident ${incidentId} kept changing under ${attempts} attempts; retry the request`);
  }
}

export type CommandInput = IncidentCommand extends infer C ? (C extends IncidentCommand ? Omit<C, 'now' | 'incidentId' | 'actor'> : never) : never;

export interface CommandResult {
  incidentId: string;
  state: IncidentState;
  events: PositionedEvent[];
}

export interface CommandContext {
  actor: Actor;
  correlationId?: string;
}

const MAX_ATTEMPTS = 8;
/** Incidents one dedup key may open in turn (each after the previous one resolved). */
const MAX_EPISODES = 1000;

/** Generic command handling: read stream → fold → decide → append with expected sequence; retry on conflict. */
export class IncidentCommandService {
  constructor(
    private readonly events: IncidentEventLog,
    private readonly cadence: SitrepCadence,
    private readonly clock: () => number = Date.now,
  ) {}

  private readonly lock = new KeyedLock();

  execute(incidentId: string, input: CommandInput, context: CommandContext): Promise<CommandResult> {
    return this.lock.run(incidentId, () => this.decideAndAppend(incidentId, input, context));
  }

  private async decideAndAppend(incidentId: string, input: CommandInput, context: CommandContext): Promise<CommandResult> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const { state, sequence } = await this.events.load(incidentId);
      const now = this.clock();
      const command = { ...input, incidentId, actor: context.actor, now } as IncidentCommand;
      const decided = decide(command, state, this.cadence);
      if (decided.length === 0) return { incidentId, state, events: [] };
      try {
        const appended = await this.events.append(incidentId, decided, sequence, { actor: context.actor, now, correlationId: context.correlationId });
        return { incidentId, state: appended.reduce(evolve, state), events: appended };
      } catch (error) {
        if (!(error instanceof WrongExpectedSequenceError)) throw error;
        // Another instance won: decide again against the fresh state after a jittered, growing pause.
        await backOff(attempt, 5, 100);
      }
    }
    throw new ConcurrentModificationError(incidentId, MAX_ATTEMPTS);
  }

  /**
   * An alert group's dedup key (PagerDuty's dedup_key): while the incident declared with it is open, declaring
   * again lands on it; once it is resolved, the next declare opens a new incident. The incidents of one key form a
   * deterministic chain (idempotency keys `key`, `key#2`, `key#3`, …), so replicas racing on the same key still
   * agree on one incident.
   */
  async declareDeduplicated(
    dedupKey: string,
    input: Extract<CommandInput, { type: 'DeclareIncident' }>,
    context: CommandContext,
  ): Promise<CommandResult & { created: boolean }> {
    for (let n = 1; n <= MAX_EPISODES; n++) {
      const idempotencyKey = n === 1 ? dedupKey : `${dedupKey}#${n}`;
      const declared = await this.declare({ ...input, data: { ...input.data, idempotencyKey } }, context);
      if (declared.created || declared.state.kind !== 'resolved') return declared;
    }
    throw new IncidentDomainError('conflict', 'dedup_key_exhausted', `dedup key ${JSON.stringify(dedupKey)} already named ${MAX_EPISODES} resolved incidents`);
  }

  /** Declares a new incident; with an idempotency key the same key always names the same incident. */
  async declare(
    input: Extract<CommandInput, { type: 'DeclareIncident' }>,
    context: CommandContext,
  ): Promise<CommandResult & { created: boolean }> {
    const key = input.data.idempotencyKey;
    const incidentId = key ? `inc_${createHash('sha256').update(key).digest('hex').slice(0, 20)}` : `inc_${randomBytes(8).toString('hex')}`;
    try {
      return { ...(await this.execute(incidentId, input, context)), created: true };
    } catch (error) {
      if (!(key && error instanceof IncidentDomainError && error.code === 'incident_exists')) throw error;
      const { state } = await this.events.load(incidentId);
      return { incidentId, state, events: [], created: false };
    }
  }
}
