import type { ZodError } from 'zod';
import { VigilError } from './vigil-error';

/** "title: must not be empty; severity: expected one of SEV1|SEV2|SEV3|SEV4" (the root is called "body"). */
export function describeZodError(error: ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : 'body'}: ${i.message}`).join('; ');
}

interface SafeParser<T> {
  safeParse(value: unknown): { success: true; data: T } | { success: false; error: ZodError };
}

/** Validates `value` (absent = `{}`) or throws `VigilError('invalid', 'invalid_request')` naming each bad field. */
export function parseWith<T>(schema: SafeParser<T>, value: unknown, what = 'request body'): T {
  const result = schema.safeParse(value ?? {});
  if (!result.success) throw new VigilError('invalid', 'invalid_request', `invalid ${what}: ${describeZodError(result.error)}`);
  return result.data;
}
