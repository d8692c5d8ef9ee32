import { describeError } from './describe-error';

/** The failure half of every NATS request/reply contract: `{ok: false, error: {code, message, status}}`. */
export interface ErrorReply {
  ok: false;
  error: { code: string; message: string; status: number };
}

/** Maps anything thrown by a NATS handler to its error reply, with the same status and code HTTP would answer. */
export function toErrorReply(error: unknown): ErrorReply {
  const { status, code, message } = describeError(error);
  return { ok: false, error: { code, message, status } };
}
