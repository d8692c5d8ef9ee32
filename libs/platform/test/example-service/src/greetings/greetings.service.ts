import { Inject, Injectable } from '@nestjs/common';
import type { Counter } from 'prom-client';
import { CLOCK, CONFIG, MetricsRegistry, type Clock } from '@vigil/platform';
import type { ExampleConfig } from '../config/example-config';
import { greet } from './greeting';

/** Orchestrates the capability: reads config, calls the core, counts what it did. */
@Injectable()
export class GreetingsService {
  private readonly served: Counter;

  constructor(
    @Inject(CONFIG) private readonly config: ExampleConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    metrics: MetricsRegistry,
  ) {
    this.served = metrics.counter('example_greetings_total', 'Greetings served');
  }

  greet(name: string): { text: string; at: number } {
    this.served.inc();
    return { text: greet(this.config.EXAMPLE_GREETING, name), at: this.clock() };
  }
}
