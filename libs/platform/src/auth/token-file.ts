import { z } from 'zod';

/**
 * The schema of a bearer-tokens file `<token>: {<holder field>: <name>}` (ingest's write tokens, query's read
 * tokens): at least one token, each at least 16 printable ASCII characters so it cannot be guessed by trying.
 */
export function bearerTokensFileSchema<F extends string>(field: F, what: string) {
  const entry = z.object({ [field]: z.string().min(1).max(100) } as Record<F, z.ZodString>).strict();
  return z.record(z.string(), entry).superRefine((tokens, ctx) => {
    if (Object.keys(tokens).length === 0) ctx.addIssue({ code: 'custom', path: [], message: `no tokens (a file without tokens would refuse every ${what})` });
    for (const token of Object.keys(tokens)) {
      if (token.length < 16) ctx.addIssue({ code: 'custom', path: [`${token.slice(0, 4)}…`], message: `${what} tokens must be at least 16 characters` });
      if (!/^[\x21-\x7e]+$/.test(token)) ctx.addIssue({ code: 'custom', path: [`${token.slice(0, 4)}…`], message: `${what} tokens must be printable ASCII without spaces` });
    }
  });
}
