import { SecretsFileError } from '@vigil/platform';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isLoopbackHost } from '@vigil/platform';
import { WriteTokens } from './write-tokens';

const file = (text: string) => {
  const path = join(mkdtempSync(join(tmpdir(), 'ingest-tokens-')), 'tokens.yaml');
  writeFileSync(path, text);
  return path;
};

describe('WriteTokens', () => {
  it('loads <token>: {producer} and resolves only exact tokens', () => {
    const tokens = WriteTokens.load(file('tok_aaaaaaaaaaaaaaaa: {producer: telegraf}\ntok_bbbbbbbbbbbbbbbb: {producer: prometheus}\n'));
    expect(tokens.size).toBe(2);
    expect(tokens.resolve('tok_aaaaaaaaaaaaaaaa')).toBe('telegraf');
    expect(tokens.resolve('tok_bbbbbbbbbbbbbbbb')).toBe('prometheus');
    expect(tokens.resolve('tok_aaaaaaaaaaaaaaa')).toBeUndefined();
    expect(tokens.resolve('tok_aaaaaaaaaaaaaaaaa')).toBeUndefined();
    expect(tokens.resolve('')).toBeUndefined();
  });

  it.each([
    ['short token', 'short: {producer: x}\n', /at least 16 characters/],
    ['missing producer', 'tok_aaaaaaaaaaaaaaaa: {}\n', /producer/],
    ['unknown field', 'tok_aaaaaaaaaaaaaaaa: {producer: x, admin: true}\n', /admin/],
    ['empty file', '', /no tokens/],
    ['not YAML', 'a: [\n', /write tokens file/],
  ])('refuses a bad file (%s), naming the file', (_, text, problem) => {
    const path = file(text);
    expect(() => WriteTokens.load(path)).toThrow(SecretsFileError);
    expect(() => WriteTokens.load(path)).toThrow(problem);
    expect(() => WriteTokens.load(path)).toThrow(path);
  });

  it('refuses a missing file', () => {
    expect(() => WriteTokens.load('/nonexistent/tokens.yaml')).toThrow(/write tokens file \/nonexistent\/tokens.yaml: .*ENOENT/);
  });
});

describe('isLoopbackHost', () => {
  it.each(['127.0.0.1', '127.1.2.3', 'localhost', 'LOCALHOST', '::1', '[::1]', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1'])('%s is loopback', (host) => {
    expect(isLoopbackHost(host)).toBe(true);
  });

  it.each(['0.0.0.0', '::', '10.0.0.1', '128.0.0.1', '::2', 'example.com', 'localhost.example.com', '::ffff:10.0.0.1', '1::1'])('%s is not loopback', (host) => {
    expect(isLoopbackHost(host)).toBe(false);
  });
});
