import type { ZodError } from 'zod';

/** An HTTP answer with our error body `{"error": {"code", "message"}}`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** "title: must not be empty; severity: expected one of SEV1|SEV2|SEV3|SEV4" */
export function describeZodError(error: ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : 'body'}: ${i.message}`).join('; ');
}

export function parseWith<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: ZodError } }, value: unknown, what = 'request body'): T {
  const result = schema.safeParse(value ?? {});
  if (!result.success) throw new ApiError(400, 'invalid_request', `invalid ${what}: ${describeZodError(result.error)}`);
  return result.data;
}
