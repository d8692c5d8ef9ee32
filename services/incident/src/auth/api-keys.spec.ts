import { SecretsFileError } from '@vigil/platform';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiKeys, ensureDevApiKeysFile } from './api-keys';

describe('API keys', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-keys-'));

  it('maps a key to its person, team and admin flag', () => {
    const path = join(dir, 'keys.yaml');
    writeFileSync(path, 'key-alice-123:\n  person: alice\n  team: payments\nkey-root-1234: {person: root, team: sre, admin: true}\n');
    const keys = ApiKeys.load(path);
    expect(keys.resolve('key-alice-123')).toEqual({ person: 'alice', team: 'payments', admin: false });
    expect(keys.resolve('key-root-1234')).toMatchObject({ admin: true });
    expect(keys.resolve('key-alice-12')).toBeUndefined();
  });

  it('names the bad entry of an invalid file', () => {
    const path = join(dir, 'bad.yaml');
    writeFileSync(path, 'short: {person: x}\n');
    expect(() => ApiKeys.load(path)).toThrow(SecretsFileError);
    expect(() => ApiKeys.load(path)).toThrow(/short: API keys must be at least 8 characters/);
    writeFileSync(path, 'key-long-enough: {team: a}\n');
    expect(() => ApiKeys.load(path)).toThrow(/key-long-enough\.person/);
  });

  it('loads the dev-only keys file docker-compose.yml mounts', () => {
    const keys = ApiKeys.load(join(__dirname, '../../../../deploy/incident/api-keys.dev.yaml'));
    expect(keys.size).toBeGreaterThan(0);
    expect(keys.resolve('vigil-dev-admin-key-change-me')).toEqual({ person: 'admin', team: 'sre', admin: true });
  });

  it('creates a development file with one admin key once', () => {
    const first = ensureDevApiKeysFile(join(dir, 'dev'));
    expect(first.created).toBe(true);
    expect(ApiKeys.load(first.path).resolve(first.adminKey!)).toMatchObject({ person: 'admin', admin: true });
    const second = ensureDevApiKeysFile(join(dir, 'dev'));
    expect(second).toMatchObject({ created: false, path: first.path });
    expect(readFileSync(first.path, 'utf8')).toContain(first.adminKey);
  });
});
