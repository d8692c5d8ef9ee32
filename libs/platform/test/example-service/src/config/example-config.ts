import { z } from 'zod';
import { CommonEnvSchema, portNumber } from '@vigil/platform';

/** Every variable the service reads, with its default: validated once at start, exit 78 when wrong. */
export const ExampleConfigSchema = CommonEnvSchema.extend({
  EXAMPLE_PORT: portNumber(9099),
  EXAMPLE_GREETING: z.string().min(1).max(50).default('hello'),
});
export type ExampleConfig = z.infer<typeof ExampleConfigSchema>;
