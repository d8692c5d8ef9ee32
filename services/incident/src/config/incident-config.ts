import { z } from 'zod';
import { CommonEnvSchema, RedisEnvSchema, portNumber, positiveInt } from '@vigil/platform';
import { SeveritySchema, Streams, Subjects } from '@vigil/contracts';
import type { SitrepCadence } from '../incidents/incident.decider';

/** `SEV1=30,SEV2=60,SEV3=240,SEV4=0` (minutes; 0 = no cadence). */
const CadenceSchema = z
  .string()
  .default('SEV1=30,SEV2=60,SEV3=240,SEV4=0')
  .transform((value, ctx): SitrepCadence => {
    const cadence: SitrepCadence = { SEV1: 30, SEV2: 60, SEV3: 240, SEV4: null };
    for (const part of value.split(',').map((p) => p.trim()).filter(Boolean)) {
      const match = /^(SEV[1-4])=(\d+)$/.exec(part);
      if (!match) {
        ctx.addIssue({ code: 'custom', message: `"${part}" is not SEVn=<minutes>` });
        return z.NEVER;
      }
      const minutes = Number(match[2]);
      cadence[SeveritySchema.parse(match[1])] = minutes === 0 ? null : minutes;
    }
    return cadence;
  });

const subjectPrefix = z.string().regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/, 'must be dot-separated tokens without wildcards');

export const IncidentEnvSchema = CommonEnvSchema.merge(RedisEnvSchema).extend({
  INCIDENT_PORT: portNumber(9094),
  /** YAML `<key>: {person, team, admin}`; unset = a development file under .data/incident/ with one admin key. */
  VIGIL_API_KEYS_FILE: z.string().optional(),
  INCIDENT_DATA_DIR: z.string().default('.data/incident'),
  /** Stream, subjects and key prefix are configurable so tests and benchmarks never share them with a dev instance. */
  INCIDENT_STREAM: z.string().regex(/^[A-Za-z0-9_-]+$/).default(Streams.incidents.name),
  INCIDENT_EVENT_SUBJECT_PREFIX: subjectPrefix.default(Subjects.incidentEventsPrefix),
  INCIDENT_COMMAND_SUBJECT_PREFIX: subjectPrefix.default(Subjects.incidentCommandPrefix),
  INCIDENT_SUBSCRIPTION_STREAM: z.string().regex(/^[A-Za-z0-9_-]+$/).default(Streams.statusSubscriptions.name),
  INCIDENT_SUBSCRIPTION_SUBJECT_PREFIX: subjectPrefix.default(Subjects.statusSubscriptionPrefix),
  INCIDENT_REDIS_PREFIX: z.string().min(1).default('vigil:incident'),
  INCIDENT_SITREP_CADENCE: CadenceSchema,
  /** How often the sitrep scheduler looks for due sitreps. */
  INCIDENT_SCHEDULER_INTERVAL_MS: positiveInt(5000),
  /** Base URL customers reach the status page at (confirmation and unsubscribe links). */
  INCIDENT_PUBLIC_URL: z.string().url().optional(),
  /** Components always listed on the status page (comma-separated), besides those named by incidents. */
  INCIDENT_STATUS_COMPONENTS: z
    .string()
    .default('')
    .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean)),
  INCIDENT_STATUS_PAGE_TITLE: z.string().default('Vigil status'),
  /** Subscription requests allowed per client address per hour. */
  INCIDENT_SUBSCRIBE_RATE_LIMIT: positiveInt(5),
  /** War-room SSE feeds one process serves at once; the next one gets 503. */
  INCIDENT_SSE_MAX_STREAMS: positiveInt(100),
  /** Events buffered for one feed while its client is not reading; beyond this the client is disconnected. */
  INCIDENT_SSE_MAX_QUEUED_EVENTS: positiveInt(1000),
});
export type IncidentConfig = z.infer<typeof IncidentEnvSchema>;
