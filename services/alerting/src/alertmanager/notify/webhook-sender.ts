import { backOff } from '@vigil/platform';
import type { WebhookPayload } from './webhook-payload';

export interface WebhookTarget {
  url: string;
  /** The whole Authorization header value (`Bearer …`, `Basic …`), from the config's http_config. */
  authorization?: string;
  timeoutMs?: number;
}

export class WebhookError extends Error {
  override readonly name = 'WebhookError';
  constructor(
    message: string,
    /** 4xx other than 408/429: the receiver refused the body; retrying would not help. */
    readonly permanent: boolean,
  ) {
    super(message);
  }
}

/**
 * POSTs Alertmanager webhook bodies. 5xx, 408, 429 and network errors are retried with backoff (Alertmanager
 * retries until the next group_interval; we try `attempts` times); other 4xx fail at once.
 */
export class WebhookSender {
  constructor(
    private readonly options: { attempts: number; baseDelayMs: number; signal?: AbortSignal; userAgent: string },
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  async send(target: WebhookTarget, body: WebhookPayload): Promise<void> {
    let last: WebhookError | undefined;
    for (let attempt = 0; attempt < this.options.attempts; attempt++) {
      if (attempt > 0) await backOff(attempt - 1, this.options.baseDelayMs, 30_000, this.options.signal);
      if (this.options.signal?.aborted) break;
      try {
        const response = await this.fetchImpl(target.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'user-agent': this.options.userAgent,
            ...(target.authorization ? { authorization: target.authorization } : {}),
          },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(target.timeoutMs ?? 10_000),
        });
        await response.body?.cancel();
        if (response.ok) return;
        const permanent = response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429;
        last = new WebhookError(`webhook ${target.url} answered ${response.status}`, permanent);
        if (permanent) break;
      } catch (error) {
        last = new WebhookError(`webhook ${target.url} failed: ${(error as Error).message}`, false);
      }
    }
    throw last ?? new WebhookError(`webhook ${target.url} not sent: shutting down`, false);
  }
}
