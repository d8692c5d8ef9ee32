import { timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { z } from 'zod';

/** A secrets file (API keys, write tokens) that does not load; names the file and every problem. */
export class SecretsFileError extends Error {
  constructor(what: string, path: string, problem: string) {
    super(`${what} ${path}: ${problem}`);
    this.name = 'SecretsFileError';
  }
}

/** Reads a YAML `<secret>: {…}` file and validates it; `what` names the file in errors ("API keys file"). */
export function loadSecretsFile<S extends z.ZodType>(path: string, schema: S, what: string): z.infer<S> {
  let raw: unknown;
  try {
    raw = parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new SecretsFileError(what, path, (error as Error).message);
  }
  const parsed = schema.safeParse(raw ?? {});
  if (!parsed.success) {
    throw new SecretsFileError(what, path, parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '));
  }
  return parsed.data;
}

/**
 * Secrets mapped to who holds them. Every entry is compared in constant time and without an early
 * exit, so response timing reveals neither a prefix of a secret nor which entry matched.
 */
export class SecretMap<T> {
  private readonly entries: [Buffer, T][];

  constructor(entries: Iterable<[string, T]>) {
    this.entries = [...entries].map(([secret, holder]) => [Buffer.from(secret), holder]);
  }

  get size(): number {
    return this.entries.length;
  }

  resolve(secret: string): T | undefined {
    const candidate = Buffer.from(secret);
    let found: T | undefined;
    for (const [known, holder] of this.entries) {
      if (known.length === candidate.length && timingSafeEqual(known, candidate)) found ??= holder;
    }
    return found;
  }
}
