import { ServiceProcess } from '@vigil/testing';

/** Ingest as a child process; ready once the writer pulls from the WAL (or, without a writer, once HTTP listens). */
export class IngestProcess extends ServiceProcess {
  constructor(env: Record<string, string>) {
    super('ingest', env, env.INGEST_WRITER_ENABLED === 'false' ? 'listening' : 'writer started');
  }
}
