import { ConfigError, loadConfig } from '@vigil/platform';
import { IngestConfigSchema, timeWindow } from './ingest-config';

describe('IngestConfigSchema', () => {
  it('has loopback defaults and port 9091', () => {
    const config = loadConfig(IngestConfigSchema, {});
    expect(config).toMatchObject({
      INGEST_PORT: 9091,
      NATS_URL: 'nats://127.0.0.1:4222',
      CLICKHOUSE_URL: 'http://127.0.0.1:8123',
      CLICKHOUSE_DB: 'vigil',
      INGEST_STREAM: 'METRICS',
      INGEST_DLQ_STREAM: 'METRICS_DLQ',
      INGEST_SUBJECT_PREFIX: '',
      RETENTION_RAW: 15 * 86_400_000,
      INGEST_MAX_FUTURE_MS: 600000,
      INGEST_WRITER_ENABLED: true,
      INGEST_ACK_WAIT_MS: 30_000,
      INGEST_BATCH_MAX_BYTES: 16 * 1024 * 1024,
      INGEST_MAX_DELIVERIES: 5,
    });
    expect(loadConfig(IngestConfigSchema, { INGEST_WRITER_ENABLED: 'false' }).INGEST_WRITER_ENABLED).toBe(false);
  });

  it('defaults the past window to the raw retention', () => {
    expect(timeWindow(loadConfig(IngestConfigSchema, { RETENTION_RAW: '2d' }))).toEqual({ maxPastMs: 2 * 86_400_000, maxFutureMs: 600_000 });
    expect(timeWindow(loadConfig(IngestConfigSchema, { INGEST_MAX_PAST_MS: '1000' })).maxPastMs).toBe(1000);
  });

  it('names each bad variable', () => {
    expect.assertions(4);
    try {
      loadConfig(IngestConfigSchema, { INGEST_PORT: 'x', INGEST_STREAM: 'a.b', INGEST_SUBJECT_PREFIX: 'nodot', INGEST_BATCH_MAX_MESSAGES: '0' });
    } catch (error) {
      const message = (error as ConfigError).message;
      expect(message).toMatch(/INGEST_PORT: .*\(got "x"\)/);
      expect(message).toContain('INGEST_STREAM: must be a JetStream name');
      expect(message).toContain('INGEST_SUBJECT_PREFIX: must be empty or dot-separated');
      expect(message).toMatch(/INGEST_BATCH_MAX_MESSAGES: .*\(got "0"\)/);
    }
  });
});
