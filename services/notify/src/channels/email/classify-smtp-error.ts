import type { SendOutcome } from '../channel.port';

type FailedOutcome = Exclude<SendOutcome, { kind: 'accepted' }>;

/** The fields nodemailer (and Node's sockets) put on the errors they hand back; all optional, all checked. */
interface SmtpErrorFields {
  code?: string;
  originalCode?: string;
  responseCode?: number;
  response?: string;
  message: string;
}

/**
 * Client-side config or credential problems. We answer `retry`, not `permanent`: `permanent` means "this message can
 * never go" and makes the caller drop it, but a rejected password or a missing OAuth token is the same for every message
 * and goes away when the operator fixes the config (a rotated secret, an expired token). Dropping every page sent
 * during that window is the worse failure; the caller's retry budget bounds the cost, and the code shows in the log.
 */
const CONFIG_CODES = new Set(['EAUTH', 'ENOAUTH', 'EOAUTH2', 'ECONFIG', 'ETLS', 'EREQUIRETLS']);

/** Auth replies (RFC 4954: 530 required, 534 mechanism too weak, 535 rejected, 538 encryption required): config too. */
const AUTH_REPLY_CODES = new Set([530, 534, 535, 538]);

/** The message itself is unsendable (no valid recipient, too many, content we refused to load): retrying repeats it. */
const MESSAGE_CODES = new Set(['EENVELOPE', 'EMAXRECIPIENTS', 'EFILEACCESS', 'EURLACCESS']);

/**
 * Maps a failed SMTP send to Vigil's outcome. Reply codes decide first (RFC 5321: 5yz permanent, 4yz transient), except
 * for auth replies (535 …), which are config (above), and 503 "bad sequence", which speaks of the session, not the
 * message, so a new connection can succeed. Without a reply code: connection-level errors (refused, reset, timed out,
 * DNS, protocol garbage) and anything unknown are `retry` — an unknown failure must not silently drop a page.
 */
export function classifySmtpError(error: unknown): FailedOutcome {
  const e = smtpErrorFields(error);
  const message = e.response ?? e.message;
  if (e.code !== undefined && CONFIG_CODES.has(e.code)) return { kind: 'retry', code: e.code, message };
  if (e.responseCode !== undefined && AUTH_REPLY_CODES.has(e.responseCode)) return { kind: 'retry', code: String(e.responseCode), message };
  if (e.responseCode !== undefined && e.responseCode >= 200 && e.responseCode <= 599) {
    const code = String(e.responseCode);
    if (e.responseCode >= 500 && e.responseCode !== 503) return { kind: 'permanent', code, message };
    return { kind: 'retry', code, message };
  }
  if (e.code !== undefined && MESSAGE_CODES.has(e.code)) return { kind: 'permanent', code: e.code, message };
  // nodemailer wraps socket errors as ESOCKET and keeps Node's code (ECONNREFUSED, ECONNRESET) as originalCode.
  return { kind: 'retry', code: e.originalCode ?? e.code ?? 'EUNKNOWN', message };
}

function smtpErrorFields(error: unknown): SmtpErrorFields {
  if (typeof error !== 'object' || error === null) return { message: String(error) };
  const r = error as Record<string, unknown>;
  const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
  return {
    code: str(r.code),
    originalCode: str(r.originalCode),
    responseCode: typeof r.responseCode === 'number' && Number.isInteger(r.responseCode) ? r.responseCode : undefined,
    response: str(r.response),
    message: str(r.message) ?? String(error),
  };
}
