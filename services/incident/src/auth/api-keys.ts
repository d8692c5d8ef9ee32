import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { z } from 'zod';
import { PersonSchema, type Actor } from '@vigil/contracts';
import { loadSecretsFile, SecretMap } from '@vigil/platform';

const ApiKeyEntrySchema = z
  .object({ person: PersonSchema, team: z.string().max(100).default(''), admin: z.boolean().default(false) })
  .strict();
export const ApiKeysFileSchema = z.record(z.string(), ApiKeyEntrySchema).superRefine((keys, ctx) => {
  for (const key of Object.keys(keys)) {
    if (key.length < 8) ctx.addIssue({ code: 'custom', path: [key], message: 'API keys must be at least 8 characters' });
  }
});

/** Maps bearer keys to the person they act as. */
export class ApiKeys extends SecretMap<Actor> {
  constructor(keys: z.infer<typeof ApiKeysFileSchema>) {
    super(Object.entries(keys).map(([key, e]) => [key, { person: e.person, team: e.team, admin: e.admin }]));
  }

  static load(path: string): ApiKeys {
    return new ApiKeys(loadSecretsFile(path, ApiKeysFileSchema, 'API keys file'));
  }
}

/** Without VIGIL_API_KEYS_FILE: a development file with one admin key, created once and reused. */
export function ensureDevApiKeysFile(dataDir: string): { path: string; adminKey?: string; created: boolean } {
  const path = resolve(join(dataDir, 'api-keys.yaml'));
  if (existsSync(path)) return { path, created: false };
  mkdirSync(dirname(path), { recursive: true });
  const adminKey = `vgl_${randomBytes(18).toString('base64url')}`;
  writeFileSync(
    path,
    `# Vigil incident API keys: <key>: {person, team, admin}. Created for development; set VIGIL_API_KEYS_FILE in production.\n${stringify({
      [adminKey]: { person: 'admin', team: 'sre', admin: true },
    })}`,
    { mode: 0o600 },
  );
  return { path, adminKey, created: true };
}
