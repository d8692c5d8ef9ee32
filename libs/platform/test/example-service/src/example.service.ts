import { defineService } from '@vigil/platform';
import { ExampleConfigSchema } from './config/example-config';
import { ExampleModule } from './example.module';

export const exampleService = defineService({
  name: 'example',
  configSchema: ExampleConfigSchema,
  module: ExampleModule,
  port: (config) => config.EXAMPLE_PORT,
  connections: { nats: true },
});
