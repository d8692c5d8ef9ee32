import { Controller, Get, Inject, Query } from '@nestjs/common';
import { DeliveryStatusSchema } from '@vigil/contracts';
import { parseWith } from '@vigil/platform';
import { z } from 'zod';
import { DeliveryLedger } from '../delivery/delivery-ledger';

const DeliveriesQuerySchema = z
  .object({
    incident: z.string().min(1).max(200).optional(),
    recipient: z.string().min(1).max(200).optional(),
    status: DeliveryStatusSchema.optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
  })
  .strict();

/** The delivery log: `GET /api/v1/deliveries?incident=&recipient=&status=&limit=` (newest first). */
@Controller('api/v1')
export class DeliveriesController {
  constructor(@Inject(DeliveryLedger) private readonly ledger: DeliveryLedger) {}

  @Get('deliveries')
  async list(@Query() query: unknown) {
    const filter = parseWith(DeliveriesQuerySchema, query, 'query');
    return { deliveries: await this.ledger.list(filter) };
  }
}
