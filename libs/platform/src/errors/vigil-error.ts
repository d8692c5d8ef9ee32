/**
 * What went wrong, independent of the transport. The core (deciders, services, auth) throws `VigilError`s with a
 * kind; the edges map the kind: HTTP to a status (`ERROR_STATUS`), NATS request/reply to `{ok: false, error}`.
 */
export type ErrorKind =
  | 'invalid'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'unprocessable'
  | 'rate_limited'
  | 'internal'
  | 'unavailable'
  | 'timeout'
  | 'canceled';

/** The HTTP status of each kind; NATS error replies carry the same number in `error.status`. */
export const ERROR_STATUS: Readonly<Record<ErrorKind, number>> = Object.freeze({
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unprocessable: 422,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
  timeout: 503,
  /** nginx's "client closed request", which Prometheus answers a cancelled query with. */
  canceled: 499,
});

/** First kind per status wins: 503 maps back to `unavailable`, not `timeout`. */
const KIND_BY_STATUS = new Map<number, ErrorKind>();
for (const [kind, status] of Object.entries(ERROR_STATUS)) if (!KIND_BY_STATUS.has(status)) KIND_BY_STATUS.set(status, kind as ErrorKind);

/** The kind of an HTTP status someone else chose (a framework error); statuses without a kind of their own fall back by class. */
export function kindForStatus(status: number): ErrorKind {
  return KIND_BY_STATUS.get(status) ?? (status >= 400 && status < 500 ? 'invalid' : 'internal');
}

/**
 * An error a client may see. `code` is stable and machine-readable (`invalid_request`, `incident_not_found`,
 * `only_commander_posts_sitreps`); `message` is for people and names the rule or the bad input.
 */
export class VigilError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'VigilError';
  }

  /** The HTTP status of this error's kind. */
  get status(): number {
    return ERROR_STATUS[this.kind];
  }
}
