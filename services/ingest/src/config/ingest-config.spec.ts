import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

  describe('write tokens and HTTP_HOST', () => {
    const tokensFile = () => {
      const path = join(mkdtempSync(join(tmpdir(), 'ingest-config-')), 'tokens.yaml');
      writeFileSync(path, 'tok_0123456789abcdef: {producer: telegraf}\n');
      return path;
    };

    it('allows open writes on a loopback HTTP_HOST (the default)', () => {
      expect(loadConfig(IngestConfigSchema, {}).INGEST_WRITE_TOKENS_FILE).toBeUndefined();
      for (const host of ['127.0.0.1', '127.0.0.53', 'localhost', '::1']) {
        expect(loadConfig(IngestConfigSchema, { HTTP_HOST: host }).HTTP_HOST).toBe(host);
      }
    });

    it.each(['0.0.0.0', '::', '10.1.2.3', 'ingest.internal'])('refuses HTTP_HOST=%s without INGEST_WRITE_TOKENS_FILE, naming the variable', (host) => {
      expect(() => loadConfig(IngestConfigSchema, { HTTP_HOST: host })).toThrow(ConfigError);
      expect(() => loadConfig(IngestConfigSchema, { HTTP_HOST: host })).toThrow(/INGEST_WRITE_TOKENS_FILE: required when HTTP_HOST .* is not a loopback address/);
    });

    it('accepts any HTTP_HOST with a valid tokens file', () => {
      const path = tokensFile();
      expect(loadConfig(IngestConfigSchema, { HTTP_HOST: '0.0.0.0', INGEST_WRITE_TOKENS_FILE: path }).INGEST_WRITE_TOKENS_FILE).toBe(path);
    });

    it('refuses a tokens file that does not load, naming the variable and the problem', () => {
      expect(() => loadConfig(IngestConfigSchema, { INGEST_WRITE_TOKENS_FILE: '/nonexistent/tokens.yaml' })).toThrow(
        /INGEST_WRITE_TOKENS_FILE: write tokens file \/nonexistent\/tokens.yaml: .*ENOENT/,
      );
    });

    it('has cache bounds with defaults', () => {
      expect(loadConfig(IngestConfigSchema, {})).toMatchObject({ INGEST_SERIES_CACHE_MAX_ENTRIES: 1_000_000, INGEST_METRIC_TYPES_MAX_ENTRIES: 100_000 });
      expect(() => loadConfig(IngestConfigSchema, { INGEST_SERIES_CACHE_MAX_ENTRIES: '0' })).toThrow(/INGEST_SERIES_CACHE_MAX_ENTRIES/);
    });
  });
});
