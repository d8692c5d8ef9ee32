import type { IncidentEvent } from '@vigil/contracts';
import { WrongExpectedSequenceError } from '@vigil/eventstore';
import { evolve, initialState, defaultSitrepCadence, type IncidentState } from './incident.decider';
import { ConcurrentModificationError, IncidentCommandService } from './incident-command.service';
import type { AppendContext, IncidentEventLog, PositionedEvent } from './incident-events.repository';

const alice = { person: 'alice', admin: false };

/** A strict in-memory stand-in for the JetStream repository that can simulate other writers. */
class FakeEvents implements IncidentEventLog {
  stored: PositionedEvent[] = [];
  /** Events another writer slips in right before each of our next N appends. */
  interleave: IncidentEvent[][] = [];
  loads = 0;

  async load(id: string): Promise<{ state: IncidentState; sequence: number }> {
    this.loads++;
    return { state: this.stored.filter((e) => e.incidentId === id).reduce(evolve, initialState()), sequence: this.stored.at(-1)?.sequence ?? 0 };
  }

  async append(id: string, events: IncidentEvent[], expected: number, context: AppendContext): Promise<PositionedEvent[]> {
    const other = this.interleave.shift();
    if (other) this.push(id, other, { ...context, actor: { person: 'bob', admin: false } });
    if ((this.stored.at(-1)?.sequence ?? 0) !== expected) throw new WrongExpectedSequenceError(id, expected);
    return this.push(id, events, context);
  }

  private push(id: string, events: IncidentEvent[], context: AppendContext): PositionedEvent[] {
    const sequence = (this.stored.at(-1)?.sequence ?? 0) + 1;
    const positioned = events.map(
      (e, index) => ({ ...e, id: `${sequence}-${index}`, incidentId: id, actor: context.actor, time: context.now, version: 1, sequence, index }) as PositionedEvent,
    );
    this.stored.push(...positioned);
    return positioned;
  }
}

describe('IncidentCommandService', () => {
  let fake: FakeEvents;
  let service: IncidentCommandService;
  beforeEach(async () => {
    fake = new FakeEvents();
    service = new IncidentCommandService(fake, defaultSitrepCadence, () => 1000);
    await service.execute('inc-1', { type: 'DeclareIncident', data: { title: 't', severity: 'SEV2' } }, { actor: alice });
  });

  it('decides again against fresh state when another writer got there first', async () => {
    fake.interleave = [[{ type: 'NoteAdded', data: { text: 'from bob' } }]];
    const result = await service.execute('inc-1', { type: 'AddNote', data: { text: 'from alice' } }, { actor: alice });
    expect(result.events.map((e) => e.type)).toEqual(['NoteAdded']);
    expect(fake.stored.map((e) => (e.data as { text?: string }).text)).toEqual([undefined, 'from bob', 'from alice']);
    expect(fake.loads).toBe(3); // declare, first try, retry
  });

  it('the retry may now forbid the command: the fresh state decides', async () => {
    fake.interleave = [[{ type: 'CommandTransferred', data: { from: 'alice', to: 'bob' } }]];
    await expect(service.execute('inc-1', { type: 'ChangeSeverity', data: { severity: 'SEV1' } }, { actor: alice })).rejects.toMatchObject({
      code: 'only_commander_changes_severity',
    });
  });

  it('gives up with concurrent_modification (409) after repeated losses', async () => {
    fake.interleave = Array.from({ length: 20 }, () => [{ type: 'NoteAdded', data: { text: 'noise' } }] as IncidentEvent[]);
    const attempt = service.execute('inc-1', { type: 'AddNote', data: { text: 'mine' } }, { actor: alice });
    await expect(attempt).rejects.toBeInstanceOf(ConcurrentModificationError);
    await expect(attempt).rejects.toMatchObject({ kind: 'conflict', code: 'concurrent_modification' });
  });

  it('appends nothing when the decision is a no-op', async () => {
    const before = fake.stored.length;
    const result = await service.execute('inc-1', { type: 'JoinAsResponder' }, { actor: alice });
    expect(result.events).toEqual([]);
    expect(fake.stored).toHaveLength(before);
  });

  it('declares with an idempotency key onto one deterministic incident', async () => {
    const first = await service.declare({ type: 'DeclareIncident', data: { title: 'a', severity: 'SEV2', idempotencyKey: 'group-1' } }, { actor: alice });
    const again = await service.declare({ type: 'DeclareIncident', data: { title: 'a', severity: 'SEV2', idempotencyKey: 'group-1' } }, { actor: alice });
    expect(first.created).toBe(true);
    expect(again).toMatchObject({ created: false, incidentId: first.incidentId, events: [] });
    const other = await service.declare({ type: 'DeclareIncident', data: { title: 'b', severity: 'SEV2' } }, { actor: alice });
    expect(other.incidentId).not.toBe(first.incidentId);
  });

  it('a dedup key lands on the open incident, and opens a new one once that one is resolved', async () => {
    const declare = () => service.declareDeduplicated('group-9', { type: 'DeclareIncident', data: { title: 'alerts', severity: 'SEV2' } }, { actor: alice });
    const first = await declare();
    const repeat = await declare();
    expect(first.created).toBe(true);
    expect(repeat).toMatchObject({ created: false, incidentId: first.incidentId });
    await service.execute(first.incidentId, { type: 'ResolveIncident' }, { actor: alice });
    const next = await declare();
    expect(next.created).toBe(true);
    expect(next.incidentId).not.toBe(first.incidentId);
    expect((await declare()).incidentId).toBe(next.incidentId);
  });
});
