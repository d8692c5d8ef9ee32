import { z } from 'zod';
import { ConfigError, loadConfig } from './load-config';
import { ClickHouseEnvSchema, CommonEnvSchema, portNumber } from './env-schemas';

const Schema = CommonEnvSchema.merge(ClickHouseEnvSchema).extend({ PORT: portNumber(9091) });

describe('loadConfig', () => {
  it('applies loopback defaults', () => {
    const config = loadConfig(Schema, {});
    expect(config).toMatchObject({ NATS_URL: 'nats://127.0.0.1:4222', CLICKHOUSE_DB: 'vigil', PORT: 9091, LOG_LEVEL: 'info' });
  });

  it('names every bad variable and its value', () => {
    try {
      loadConfig(Schema, { NATS_URL: 'http://x', PORT: '70000', CLICKHOUSE_DB: 'x; DROP' });
      throw new Error('expected ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as ConfigError).message;
      expect(message).toContain('NATS_URL: must be a URL with scheme nats or tls (got "http://x")');
      expect(message).toMatch(/PORT: .*\(got "70000"\)/);
      expect(message).toContain('CLICKHOUSE_DB: must be a plain identifier');
    }
  });

  it('rejects a value that is not a number', () => {
    expect(() => loadConfig(z.object({ PORT: portNumber(1) }), { PORT: 'abc' })).toThrow(/PORT/);
  });
});
