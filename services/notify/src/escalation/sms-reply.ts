import { ACK_CODE_LENGTH } from './ack-token';

/** What a reply to a page SMS (Twilio's inbound webhook `Body`) asks for. */
export type SmsReply = { kind: 'ack'; code: string } | { kind: 'stop' } | { kind: 'start' } | { kind: 'help' } | { kind: 'unknown' };

// Twilio's default keywords on long codes and toll-free numbers. Twilio itself blocks (or unblocks) the sender on these
// and still forwards the message, so notify must read them the same way to keep its opt-out state equal to Twilio's:
// STOP and its synonyms (the Advanced Opt-Out guide adds REVOKE and OPTOUT to the classic six), START/YES/UNSTOP, HELP/INFO.
const STOP = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'REVOKE', 'OPTOUT']);
const START = new Set(['START', 'YES', 'UNSTOP']);
const HELP = new Set(['HELP', 'INFO']);

const EDGES = /^[\s\p{P}\p{S}]+|[\s\p{P}\p{S}]+$/gu;
const ACK = new RegExp(`^ACK[\\s\\p{P}]*([A-Z0-9]{${ACK_CODE_LENGTH}})$`, 'u');

/**
 * Reads a reply: case-insensitive, whitespace and punctuation around it ignored. Keywords count only as the whole
 * message, as with Twilio ("STOP PLEASE" is not an opt-out there, so it is not one here). The code is returned in
 * capitals and not checked against the code alphabet: a mistyped code is the caller's "no such page" answer.
 */
export function parseSmsReply(body: string): SmsReply {
  const text = body.replace(EDGES, '').toUpperCase();
  if (STOP.has(text)) return { kind: 'stop' };
  if (START.has(text)) return { kind: 'start' };
  if (HELP.has(text)) return { kind: 'help' };
  const ack = ACK.exec(text);
  return ack ? { kind: 'ack', code: ack[1] } : { kind: 'unknown' };
}
