import type { z } from 'zod';
import { isLoopbackHost } from './loopback';

/**
 * The config rule of a service's bearer-tokens file: without the file the API is open, which is allowed only while
 * HTTP_HOST is loopback; with it, the file must load. Used in a schema's `superRefine`.
 */
export function requireTokensOffLoopback<C extends { HTTP_HOST: string }>(
  variable: keyof C & string,
  purpose: string,
  load: (path: string) => unknown,
): (config: C, ctx: z.RefinementCtx) => void {
  return (config, ctx) => {
    const path = config[variable] as unknown as string | undefined;
    if (path === undefined) {
      if (!isLoopbackHost(config.HTTP_HOST)) {
        ctx.addIssue({
          code: 'custom',
          path: [variable],
          message: `required when HTTP_HOST (${JSON.stringify(config.HTTP_HOST)}) is not a loopback address: without ${purpose}`,
        });
      }
      return;
    }
    try {
      load(path);
    } catch (error) {
      ctx.addIssue({ code: 'custom', path: [variable], message: (error as Error).message });
    }
  };
}
