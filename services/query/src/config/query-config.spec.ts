import { ConfigError, loadConfig } from '@vigil/platform';
import { QueryConfigSchema } from './query-config';

describe('query config', () => {
  it('defaults to the Prometheus port, open reads on loopback', () => {
    const config = loadConfig(QueryConfigSchema, {});
    expect(config).toMatchObject({ QUERY_PORT: 9090, QUERY_TIMEOUT_MS: 120_000, QUERY_MAX_CONCURRENCY: 20 });
    expect(config.QUERY_READ_TOKENS_FILE).toBeUndefined();
  });

  it('requires read tokens on a non-loopback address, naming the variable', () => {
    expect(() => loadConfig(QueryConfigSchema, { HTTP_HOST: '0.0.0.0' })).toThrow(ConfigError);
    expect(() => loadConfig(QueryConfigSchema, { HTTP_HOST: '0.0.0.0' })).toThrow(/QUERY_READ_TOKENS_FILE: required when HTTP_HOST \("0.0.0.0"\) is not a loopback address/);
  });

  it('names a tokens file that does not load', () => {
    expect(() => loadConfig(QueryConfigSchema, { QUERY_READ_TOKENS_FILE: '/nonexistent/tokens.yaml' })).toThrow(/QUERY_READ_TOKENS_FILE: read tokens file \/nonexistent\/tokens.yaml/);
  });
});
