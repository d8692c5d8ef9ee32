import { z } from 'zod';

/**
 * Status-page subscriptions (double opt-in), published by incident for notify on JetStream stream
 * `Streams.statusSubscriptions`, subjects `status.v1.subscription.<requested|confirmed|cancelled>` (subjects.ts).
 * Notify sends the confirmation link on `requested`, and customer updates to every `confirmed` subscriber
 * until `cancelled`. Message id (`Nats-Msg-Id`) is `<subscriptionId>:<type>:<at>`, so a retried publish de-duplicates.
 */
export const SubscriptionChannelSchema = z.enum(['email', 'sms']);
export type SubscriptionChannel = z.infer<typeof SubscriptionChannelSchema>;

const base = z.object({
  subscriptionId: z.string(),
  channel: SubscriptionChannelSchema,
  /** Email address, or phone number in E.164 (`+14155550100`). */
  address: z.string(),
  /** Link that stops all messages; include it in every message sent. */
  unsubscribeUrl: z.string().url(),
  at: z.number().int(),
});

export const StatusSubscriptionEventSchema = z.discriminatedUnion('type', [
  base.extend({ type: z.literal('requested'), /** Link the subscriber must open to activate. */ confirmUrl: z.string().url() }),
  base.extend({ type: z.literal('confirmed') }),
  base.extend({ type: z.literal('cancelled') }),
]);
export type StatusSubscriptionEvent = z.infer<typeof StatusSubscriptionEventSchema>;
