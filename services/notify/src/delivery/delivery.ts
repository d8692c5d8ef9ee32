import { createHash } from 'node:crypto';
import type { DeliveryChannel, DeliveryStatus } from '@vigil/contracts';

/** One message to one recipient on one channel, as planned from a source event (before it is claimed). */
export interface PlannedDelivery {
  id: string;
  sourceEventId: string;
  kind: string;
  recipient: string;
  channel: DeliveryChannel;
  /** The phone number or email address. */
  address: string;
  incidentId?: string;
  groupKey?: string;
  /** The template's variables. */
  vars: Record<string, unknown>;
}

/** A delivery as the log keeps it: what was planned (but the template's variables), and where it stands. */
export interface DeliveryRecord extends Omit<PlannedDelivery, 'vars'> {
  status: DeliveryStatus;
  attempts: number;
  providerId?: string;
  error?: string;
  /** Unix ms. */
  createdAt: number;
  updatedAt: number;
  /** While `retrying`: not before this. */
  nextAttemptAt?: number;
  /** Times a claim was taken over from an instance that died between claiming and recording the answer. */
  takeovers: number;
}

/** Final: nothing more will be sent for it. */
export const isFinal = (status: DeliveryStatus) => status === 'sent' || status === 'delivered' || status === 'failed' || status === 'dead';

/** The id of (source event, recipient, channel): the same on every instance and every redelivery. */
export function deliveryId(sourceEventId: string, recipient: string, channel: DeliveryChannel): string {
  return createHash('sha256').update(`${sourceEventId}\u0000${recipient}\u0000${channel}`).digest('hex').slice(0, 32);
}
