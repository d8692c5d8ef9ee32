/**
 * An error of the Alertmanager API v2 with the exact status and body Alertmanager (go-swagger) answers, so its
 * generated clients — amtool among them — decode it:
 * - a handler's own refusal (400 bad matcher, 404 unknown silence, …): the body is a JSON string;
 * - a request the OpenAPI spec rejects before any handler runs: `{"code", "message"}` with the go-openapi code
 *   (602 required, 601 wrong type, 612 too few items → HTTP 422; 400 unparseable body → HTTP 400).
 */
export class AlertmanagerApiError extends Error {
  override readonly name = 'AlertmanagerApiError';
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(typeof body === 'string' ? body : JSON.stringify(body));
  }

  /** A handler's refusal: `status` with the message as a JSON string. */
  static text(status: number, message: string): AlertmanagerApiError {
    return new AlertmanagerApiError(status, message);
  }

  /** A spec violation: go-openapi's `{code, message}`; codes ≥ 600 are answered as 422. */
  static spec(code: number, message: string): AlertmanagerApiError {
    return new AlertmanagerApiError(code >= 600 ? 422 : code, { code, message });
  }
}

/** go-openapi's validation codes (errors/schema.go). */
export const SPEC_CODE = { parse: 400, invalidType: 601, required: 602, minItems: 612 } as const;
