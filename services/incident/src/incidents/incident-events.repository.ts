import { randomUUID } from 'node:crypto';
import {
  IncidentEventVersions,
  parseIncidentEvent,
  type Actor,
  type IncidentEvent,
  type IncidentEventEnvelope,
  type StoredIncidentEvent,
} from '@vigil/contracts';
import type { Commit, EventStore } from '@vigil/eventstore';
import { evolve, incidentStreamId, initialState, type IncidentState } from './incident.decider';

/** A stored event with its position: `sequence` of its commit and `index` inside it (SSE ids are `sequence:index`). */
export type PositionedEvent = StoredIncidentEvent & { sequence: number; index: number };

export interface AppendContext {
  actor: Actor;
  now: number;
  correlationId?: string;
  causationId?: string;
}

/** What command handling needs of the incident streams (a port: unit tests implement it in memory). */
export interface IncidentEventLog {
  load(incidentId: string): Promise<{ state: IncidentState; sequence: number }>;
  append(incidentId: string, events: IncidentEvent[], expectedSequence: number, context: AppendContext): Promise<PositionedEvent[]>;
}

/** The incident event streams in the event store: envelopes in, validated and upcast events out. */
export class IncidentEventsRepository implements IncidentEventLog {
  constructor(readonly store: EventStore) {}

  async load(incidentId: string): Promise<{ state: IncidentState; sequence: number }> {
    const { commits, lastSequence } = await this.store.read(incidentStreamId(incidentId));
    let state = initialState();
    for (const event of commits.flatMap(eventsOf)) state = evolve(state, event);
    return { state, sequence: lastSequence };
  }

  /** Whether the incident has at least one event (was ever declared). */
  async exists(incidentId: string): Promise<boolean> {
    return (await this.store.lastSequence(incidentStreamId(incidentId))) > 0;
  }

  async readEvents(incidentId: string, fromSequence = 1): Promise<PositionedEvent[]> {
    const { commits } = await this.store.read(incidentStreamId(incidentId), fromSequence);
    return commits.flatMap(eventsOf);
  }

  /** Appends the events of one decision atomically; throws WrongExpectedSequenceError on a concurrent write. */
  async append(incidentId: string, events: IncidentEvent[], expectedSequence: number, context: AppendContext): Promise<PositionedEvent[]> {
    const correlationId = context.correlationId ?? randomUUID();
    const envelopes: IncidentEventEnvelope[] = events.map((event) => ({
      id: randomUUID(),
      type: event.type,
      version: IncidentEventVersions[event.type],
      time: context.now,
      incidentId,
      actor: context.actor,
      causationId: context.causationId,
      correlationId,
      data: event.data,
    }));
    const { sequence } = await this.store.append(incidentStreamId(incidentId), envelopes, expectedSequence);
    return envelopes.map((e, index) => ({ ...parseIncidentEvent(e), sequence, index }));
  }
}

/** Parses every event of a commit (upcasting old versions). */
export function eventsOf(commit: Commit): PositionedEvent[] {
  return commit.events.map((raw, index) => ({ ...parseIncidentEvent(raw), sequence: commit.sequence, index }));
}
