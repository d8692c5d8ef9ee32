import type { Redis } from 'ioredis';
import type { Commit, EventStore, Subscription } from '@vigil/eventstore';
import { backOff } from '@vigil/platform';
import { evolve, initialState, type IncidentState } from '../incidents/incident.decider';
import { eventsOf } from '../incidents/incident-events.repository';
import type { IncidentReadModelRepository, IncidentView } from './incident-read-model.repository';

/**
 * Writes a view only when its commit is newer than the checkpoint, atomically with the checkpoint:
 * replays, restarts and a second instance applying the same commit are harmless.
 * KEYS: checkpoint, doc, incidents, sitrep-due · ARGV: sequence, doc JSON, id, declaredAt, next sitrep check ('' = none)
 */
const APPLY = `
local checkpoint = tonumber(redis.call('GET', KEYS[1]) or '0')
local seq = tonumber(ARGV[1])
if checkpoint >= seq then return 0 end
redis.call('SET', KEYS[2], ARGV[2])
redis.call('ZADD', KEYS[3], ARGV[4], ARGV[3])
if ARGV[5] == '' then redis.call('ZREM', KEYS[4], ARGV[3]) else redis.call('ZADD', KEYS[4], ARGV[5], ARGV[3]) end
redis.call('SET', KEYS[1], ARGV[1])
return 1
`;
/** A commit that changes no view (cannot happen today) still moves the checkpoint. */
const ADVANCE = `
if tonumber(redis.call('GET', KEYS[1]) or '0') < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], ARGV[1]) end
`;

export interface ProjectionProgress {
  appliedSequence: number;
  appliedAt: number;
}

/** Incident list / state / roles / timeline / sitrep due times in Redis, fed from the INCIDENTS stream in order. */
export class IncidentReadModelProjection {
  private subscription?: Subscription;
  private stopping = false;
  private lastApplied: ProjectionProgress = { appliedSequence: 0, appliedAt: 0 };
  private readonly listeners = new Set<(sequence: number) => void>();

  constructor(
    private readonly store: EventStore,
    private readonly redis: Redis,
    private readonly readModels: IncidentReadModelRepository,
  ) {}

  get progress(): ProjectionProgress {
    return this.lastApplied;
  }

  /** Called after each applied commit (tests and benchmarks wait on it). */
  onApplied(listener: (sequence: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async apply(commit: Commit): Promise<boolean> {
    const events = eventsOf(commit);
    if (events.length === 0) {
      await this.redis.eval(ADVANCE, 1, this.readModels.key('checkpoint'), commit.sequence);
      return false;
    }
    const incidentId = events[0].incidentId;
    const current = await this.readModels.get(incidentId);
    let state: IncidentState = current ?? initialState();
    for (const event of events) state = evolve(state, event);
    if (state.kind === 'none') return false;
    const view: IncidentView = { ...state, sequence: commit.sequence };
    const nextCheck = state.kind === 'open' && state.nextSitrepCheckAt !== null ? String(state.nextSitrepCheckAt) : '';
    const applied = await this.redis.eval(
      APPLY,
      4,
      this.readModels.key('checkpoint'),
      this.readModels.key(`incident:${incidentId}`),
      this.readModels.key('incidents'),
      this.readModels.key('sitrep-due'),
      commit.sequence,
      JSON.stringify(view),
      incidentId,
      state.declaredAt,
      nextCheck,
    );
    return applied === 1;
  }

  /** Follows the stream live from the checkpoint on. */
  async start(): Promise<void> {
    this.stopping = false;
    const from = (await this.readModels.checkpoint()) + 1;
    this.lastApplied = { appliedSequence: from - 1, appliedAt: Date.now() };
    this.subscription = await this.store.subscribe({ fromSequence: from }, async (commit) => {
      await this.applyWithRetry(commit);
      this.lastApplied = { appliedSequence: commit.sequence, appliedAt: Date.now() };
      for (const listener of this.listeners) listener(commit.sequence);
    });
  }

  /** Redis may be briefly away: keep the commit and retry rather than skip it (order matters). */
  private async applyWithRetry(commit: Commit): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.apply(commit);
        return;
      } catch (error) {
        if (this.stopping) throw error;
        this.onError?.(error as Error, commit.sequence);
        await backOff(attempt, 100, 2000);
      }
    }
  }

  onError?: (error: Error, sequence: number) => void;

  async stop(): Promise<void> {
    this.stopping = true;
    await this.subscription?.stop();
    this.subscription = undefined;
  }

  /**
   * Drops the read models and replays the whole stream; returns the sequence reached. Folds in memory and
   * writes each view once at the end (the same views live apply would write), which is what makes it fast.
   */
  async rebuild(): Promise<number> {
    await this.readModels.clear();
    const views = new Map<string, IncidentView>();
    const head = await this.store.readAll(1, async (commit) => {
      const events = eventsOf(commit);
      if (events.length === 0) return;
      const id = events[0].incidentId;
      let state: IncidentState = views.get(id) ?? initialState();
      for (const event of events) state = evolve(state, event);
      if (state.kind !== 'none') views.set(id, { ...state, sequence: commit.sequence });
    });
    const all = [...views.values()];
    for (let i = 0; i < all.length; i += 500) {
      const pipeline = this.redis.pipeline();
      for (const view of all.slice(i, i + 500)) {
        pipeline.set(this.readModels.key(`incident:${view.id}`), JSON.stringify(view));
        pipeline.zadd(this.readModels.key('incidents'), view.declaredAt, view.id);
        if (view.kind === 'open' && view.nextSitrepCheckAt !== null) pipeline.zadd(this.readModels.key('sitrep-due'), view.nextSitrepCheckAt, view.id);
      }
      await pipeline.exec();
    }
    if (head > 0) await this.redis.set(this.readModels.key('checkpoint'), head);
    return head;
  }
}
