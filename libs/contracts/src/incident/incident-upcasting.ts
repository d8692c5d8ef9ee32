import {
  IncidentEventDataSchemas,
  IncidentEventEnvelopeSchema,
  IncidentEventVersions,
  type IncidentEventType,
  type StoredIncidentEvent,
} from './incident-event.schema';

/** Raised when a stored event cannot be understood; names the event and the problem. */
export class IncidentEventSchemaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IncidentEventSchemaError';
  }
}

type Upcaster = (data: Record<string, unknown>) => Record<string, unknown>;

/**
 * Upcasters lift an old payload one version up: key `Type@n` turns version n into n+1.
 * IncidentDeclared v1 carried severity as a number 1-4 and had no components list.
 */
const upcasters: Record<string, Upcaster> = {
  'IncidentDeclared@1': (data) => ({
    ...data,
    severity: typeof data.severity === 'number' ? `SEV${data.severity}` : data.severity,
    components: Array.isArray(data.components) ? data.components : [],
  }),
};

function isKnownType(type: string): type is IncidentEventType {
  return Object.prototype.hasOwnProperty.call(IncidentEventDataSchemas, type);
}

/** Parses a stored envelope, upcasts its payload to the current version and validates it. */
export function parseIncidentEvent(raw: unknown): StoredIncidentEvent {
  const envelope = IncidentEventEnvelopeSchema.safeParse(raw);
  if (!envelope.success) {
    throw new IncidentEventSchemaError(`invalid event envelope: ${envelope.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const { type, version } = envelope.data;
  if (!isKnownType(type)) throw new IncidentEventSchemaError(`unknown event type "${type}" (event ${envelope.data.id})`);
  const current = IncidentEventVersions[type];
  if (version > current) {
    throw new IncidentEventSchemaError(`event ${envelope.data.id} of type ${type} has version ${version}, newer than the ${current} this build knows`);
  }
  let data = (envelope.data.data ?? {}) as Record<string, unknown>;
  for (let v = version; v < current; v++) {
    const upcast = upcasters[`${type}@${v}`];
    if (!upcast) throw new IncidentEventSchemaError(`no upcaster for ${type} version ${v}`);
    data = upcast(data);
  }
  const parsed = IncidentEventDataSchemas[type].safeParse(data);
  if (!parsed.success) {
    throw new IncidentEventSchemaError(
      `event ${envelope.data.id} (${type} v${version}): ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  return { ...envelope.data, type, version: current, data: parsed.data } as StoredIncidentEvent;
}
