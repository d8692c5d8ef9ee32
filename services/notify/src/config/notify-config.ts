import { existsSync } from 'node:fs';
import { z } from 'zod';
import { CommonEnvSchema, RedisEnvSchema, portNumber, positiveInt, urlWithScheme } from '@vigil/platform';
import { Streams, Subjects } from '@vigil/contracts';
import { readDirectory } from '../directory/directory';

const streamName = (fallback: string) => z.string().regex(/^[A-Za-z0-9_-]+$/).default(fallback);
const subjectPrefix = z
  .string()
  .regex(/^([A-Za-z0-9_-]+\.)*$/, 'must be empty or dot-separated tokens ending in "." (e.g. "test1.")')
  .default('');

/** Every environment variable notify reads, with its default (docs/notify.md, "Configuration"). */
export const NotifyEnvSchema = CommonEnvSchema.merge(RedisEnvSchema)
  .extend({
    NOTIFY_PORT: portNumber(9095),
    /** Where links in messages point (the acknowledgement links, the status callback). */
    NOTIFY_PUBLIC_URL: z.string().url().optional(),
    /** The people and teams notify reaches (deploy/notify/directory.yml: its format). */
    VIGIL_DIRECTORY_FILE: z.string().min(1).default('deploy/notify/directory.yml'),
    /** Prefix of every Redis key notify writes (the delivery log and its claims). */
    NOTIFY_REDIS_PREFIX: z.string().min(1).default('vigil:notify:'),
    /** alerting's ALERTS stream and the prefix of its subjects (alerting's ALERTING_ALERTS_STREAM / ALERTING_SUBJECT_PREFIX). */
    NOTIFY_ALERTS_STREAM: streamName(Streams.alerts.name),
    NOTIFY_ALERTS_SUBJECT_PREFIX: subjectPrefix,
    /** The durable consumer every notify instance shares (they split the events between them). */
    NOTIFY_CONSUMER: streamName('notify'),
    /** Where delivery events go (notify.v1.delivery.<status> under NOTIFY_SUBJECT_PREFIX). */
    NOTIFY_STREAM: streamName(Streams.notify.name),
    NOTIFY_SUBJECT_PREFIX: subjectPrefix,
    NOTIFY_MAX_ATTEMPTS: positiveInt(8),
    NOTIFY_BACKOFF_BASE_MS: positiveInt(1_000),
    NOTIFY_BACKOFF_MAX_MS: positiveInt(60_000),
    /** A claimed send not recorded within this long is taken over by another instance. */
    NOTIFY_CLAIM_LEASE_MS: positiveInt(30_000),
    NOTIFY_CONCURRENCY: positiveInt(16),
    /** Twilio's Messages API (or a compatible provider): base URL, account, token, sender. */
    SMS_API_URL: urlWithScheme('http', 'https').default('https://api.twilio.com'),
    SMS_ACCOUNT_SID: z.string().default(''),
    SMS_AUTH_TOKEN: z.string().default(''),
    SMS_FROM: z.string().default(''),
    SMS_MESSAGING_SERVICE_SID: z.string().default(''),
    /** Segments an SMS may take at most (longer texts are shortened, the link kept). */
    SMS_MAX_SEGMENTS: positiveInt(3),
    SMTP_URL: urlWithScheme('smtp', 'smtps').default('smtp://127.0.0.1:1025'),
    NOTIFY_EMAIL_FROM: z.string().min(3).default('Vigil <vigil@localhost>'),
    /** The domain of Message-IDs (threading). */
    NOTIFY_EMAIL_DOMAIN: z.string().min(1).default('vigil.localhost'),
    NOTIFY_TEMPLATES_DIR: z.string().min(1).default('deploy/notify/templates'),
    /**
     * Signs acknowledgement links and derives SMS acknowledgement codes; every instance needs the same one. Unset: a
     * random secret per process (links and codes then work only with the instance that sent them, until it restarts).
     */
    NOTIFY_ACK_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
    /** incident's event store (its INCIDENT_STREAM / INCIDENT_EVENT_SUBJECT_PREFIX): sitreps to stakeholders. */
    NOTIFY_INCIDENT_STREAM: streamName(Streams.incidents.name),
    NOTIFY_INCIDENT_SUBJECT_PREFIX: z.string().regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/).default(Subjects.incidentEventsPrefix),
    NOTIFY_INCIDENT_CONSUMER: streamName('notify'),
    /** The incident service's URL, for links to an incident. */
    NOTIFY_INCIDENT_URL: z.string().url().default('http://127.0.0.1:9094'),
    /** incident's status-page subscriptions (its INCIDENT_SUBSCRIPTION_STREAM / _SUBJECT_PREFIX). */
    NOTIFY_SUBSCRIPTION_STREAM: streamName(Streams.statusSubscriptions.name),
    NOTIFY_SUBSCRIPTION_SUBJECT_PREFIX: z.string().regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/).default(Subjects.statusSubscriptionPrefix),
    /** What customers are told the status is of (`{{ service.name }}`), and where the status page is. */
    NOTIFY_SERVICE_NAME: z.string().min(1).default('Vigil'),
    NOTIFY_STATUS_PAGE_URL: z.string().url().default('http://127.0.0.1:9094/status'),
    /** How often due escalations are looked at. */
    NOTIFY_ESCALATION_TICK_MS: positiveInt(1_000),
  })
  .superRefine((config, ctx) => {
    const directory = readDirectory(config.VIGIL_DIRECTORY_FILE);
    if (!directory.ok) for (const message of directory.errors) ctx.addIssue({ code: 'custom', path: ['VIGIL_DIRECTORY_FILE'], message });
    if (!existsSync(config.NOTIFY_TEMPLATES_DIR)) ctx.addIssue({ code: 'custom', path: ['NOTIFY_TEMPLATES_DIR'], message: `${config.NOTIFY_TEMPLATES_DIR} does not exist` });
    if (config.SMS_FROM && config.SMS_MESSAGING_SERVICE_SID) ctx.addIssue({ code: 'custom', path: ['SMS_FROM'], message: 'set SMS_FROM or SMS_MESSAGING_SERVICE_SID, not both' });
  });
export type NotifyConfig = z.infer<typeof NotifyEnvSchema>;
