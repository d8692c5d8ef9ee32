import { IncidentEventSchemaError, parseIncidentEvent } from './incident-upcasting';

const envelope = (type: string, version: number, data: unknown) => ({
  id: 'e1',
  type,
  version,
  time: 1,
  incidentId: 'inc-1',
  actor: { person: 'alice' },
  data,
});

describe('parseIncidentEvent', () => {
  it('upcasts IncidentDeclared v1 (numeric severity, no components) to v2', () => {
    const event = parseIncidentEvent(
      envelope('IncidentDeclared', 1, { incidentId: 'inc-1', title: 't', severity: 2, commander: 'alice', declaredAt: 1, sitrepDueAt: null }),
    );
    expect(event).toMatchObject({ type: 'IncidentDeclared', version: 2, data: { severity: 'SEV2', components: [] }, actor: { admin: false } });
  });
  it('passes current versions through unchanged', () => {
    expect(parseIncidentEvent(envelope('NoteAdded', 1, { text: 'hi' })).data).toEqual({ text: 'hi' });
  });
  it('names unknown types, future versions and bad payloads', () => {
    expect(() => parseIncidentEvent(envelope('Exploded', 1, {}))).toThrow(/unknown event type "Exploded"/);
    expect(() => parseIncidentEvent(envelope('NoteAdded', 9, { text: 'x' }))).toThrow(/version 9, newer than the 1/);
    expect(() => parseIncidentEvent(envelope('NoteAdded', 1, { text: 3 }))).toThrow(IncidentEventSchemaError);
    expect(() => parseIncidentEvent({ type: 'NoteAdded' })).toThrow(/invalid event envelope: id/);
  });
});
