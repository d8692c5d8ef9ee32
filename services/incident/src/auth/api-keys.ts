import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { z } from 'zod';
import { PersonSchema, type Actor } from '@vigil/contracts';

const ApiKeyEntrySchema = z
  .object({ person: PersonSchema, team: z.string().max(100).default(''), admin: z.boolean().default(false) })
  .strict();
export const ApiKeysFileSchema = z.record(z.string(), ApiKeyEntrySchema).superRefine((keys, ctx) => {
  for (const key of Object.keys(keys)) {
    if (key.length < 8) ctx.addIssue({ code: 'custom', path: [key], message: 'API keys must be at least 8 characters' });
  }
});

export class ApiKeysFileError extends Error {
  constructor(path: string, problem: string) {
    super(`API keys file ${path}: ${problem}`);
    this.name = 'ApiKeysFileError';
  }
}

/** Maps bearer keys to the person they act as. */
export class ApiKeys {
  private readonly entries: [Buffer, Actor][];

  constructor(keys: z.infer<typeof ApiKeysFileSchema>) {
    this.entries = Object.entries(keys).map(([key, e]) => [Buffer.from(key), { person: e.person, team: e.team, admin: e.admin }]);
  }

  static load(path: string): ApiKeys {
    let raw: unknown;
    try {
      raw = parse(readFileSync(path, 'utf8'));
    } catch (error) {
      throw new ApiKeysFileError(path, (error as Error).message);
    }
    const parsed = ApiKeysFileSchema.safeParse(raw ?? {});
    if (!parsed.success) {
      throw new ApiKeysFileError(path, parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '));
    }
    return new ApiKeys(parsed.data);
  }

  /** Constant-time comparison per key, so response timing does not reveal key prefixes. */
  resolve(key: string): Actor | undefined {
    const candidate = Buffer.from(key);
    return this.entries.find(([k]) => k.length === candidate.length && timingSafeEqual(k, candidate))?.[1];
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
