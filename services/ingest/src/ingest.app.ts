import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { startService, type Logger } from '@vigil/platform';
import type { IngestConfig } from './config/ingest-config';
import { ingestService } from './ingest.service';
import { WriterRunner } from './writer/writer-runner';

export interface IngestHandle {
  app: NestFastifyApplication;
  port: number;
  /** Resolves once migrations ran and the writer pulls (or never, when the writer is disabled). */
  writerStarted: Promise<void>;
  /** Graceful: stop taking input, finish and ack the batch in flight, drain NATS. */
  close(): Promise<void>;
}

/** Starts one ingest instance in this process (tests and benchmarks start several side by side). */
export async function startIngest(config: IngestConfig, logger: Logger): Promise<IngestHandle> {
  const service = await startService(ingestService, { config, logger });
  return { app: service.app, port: service.port, writerStarted: service.app.get(WriterRunner).started, close: service.close };
}
