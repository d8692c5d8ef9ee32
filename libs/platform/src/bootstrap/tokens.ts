/**
 * Injection tokens for what the platform provides that is not a class of ours. Services inject them with
 * `@Inject(CONFIG) config: IngestConfig`, `@Inject(NATS) nc: NatsConnection`, and so on.
 */
export const CONFIG = Symbol('vigil:config');
export const LOGGER = Symbol('vigil:logger');
export const CLOCK = Symbol('vigil:clock');
export const SERVICE_NAME = Symbol('vigil:service-name');
export const NATS = Symbol('vigil:nats');
export const JETSTREAM = Symbol('vigil:jetstream');
export const JETSTREAM_MANAGER = Symbol('vigil:jetstream-manager');
export const CLICKHOUSE = Symbol('vigil:clickhouse');
export const REDIS = Symbol('vigil:redis');

/** Milliseconds since the epoch; tests inject one that moves faster (sitrep cadences are minutes long). */
export type Clock = () => number;
