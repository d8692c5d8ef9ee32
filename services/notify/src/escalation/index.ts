export {
  EscalationTargetSchema,
  EscalationLevelSchema,
  EscalationPolicySchema,
  EscalationPoliciesSchema,
  escalationPolicyErrors,
} from './escalation-policy.schema';
export type { EscalationTarget, EscalationLevel, EscalationPolicy, KnownIds } from './escalation-policy.schema';
export { escalationStep, escalationSchedule, escalationExhaustedAt } from './escalation';
export type { EscalationStep, ScheduledPage } from './escalation';
export { AckClaimsSchema, signAck, verifyAck, ackCode, ACK_CODE_ALPHABET, ACK_CODE_LENGTH } from './ack-token';
export type { AckClaims, AckVerification } from './ack-token';
export { parseSmsReply } from './sms-reply';
export type { SmsReply } from './sms-reply';
