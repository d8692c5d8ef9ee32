import { z } from 'zod';

/** Where a delivery stands (notify's delivery log). */
export const DeliveryStatusSchema = z.enum([
  /** Claimed by an instance, the provider not answered yet. */
  'sending',
  /** The provider accepted it (Twilio queued it, the SMTP server took it). */
  'sent',
  /** The provider reported it delivered to the handset (SMS status callback). */
  'delivered',
  /** A transient failure; tried again after a backoff. */
  'retrying',
  /** Retrying cannot help (invalid number, unsubscribed, rejected address), or the provider reported it undelivered. */
  'failed',
  /** Transient failures until the attempt limit: given up, on the dead-letter subject. */
  'dead',
]);
export type DeliveryStatus = z.infer<typeof DeliveryStatusSchema>;

export const DeliveryChannelSchema = z.enum(['sms', 'email']);
export type DeliveryChannel = z.infer<typeof DeliveryChannelSchema>;

/**
 * `notify.v1.delivery.<status>` (stream NOTIFY): one message per change of a delivery's status. A delivery is one
 * (source event, recipient, channel); its id is derived from those three, so it is the same on every instance.
 */
export const DeliveryEventSchema = z.object({
  version: z.literal('1'),
  deliveryId: z.string().min(1),
  status: DeliveryStatusSchema,
  channel: DeliveryChannelSchema,
  /** The directory id of the person (or the subscriber id). */
  recipient: z.string().min(1),
  /** What was sent: `page` (responders), `sitrep` (stakeholders), `customer-update` (customers). */
  kind: z.string().min(1),
  /** The source event: an alerts.v1 event id or an incident event id. */
  sourceEventId: z.string().min(1),
  incidentId: z.string().optional(),
  groupKey: z.string().optional(),
  attempts: z.number().int().nonnegative(),
  providerId: z.string().optional(),
  /** The provider's code and message of the last failure. */
  error: z.string().optional(),
  at: z.string().datetime({ offset: true }),
});
export type DeliveryEvent = z.infer<typeof DeliveryEventSchema>;
