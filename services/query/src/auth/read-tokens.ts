import { bearerTokensFileSchema, loadSecretsFile, SecretMap } from '@vigil/platform';
import type { z } from 'zod';

/** `<token>: {client: <name>}` (Grafana, alerting, a person's script). */
export const ReadTokensFileSchema = bearerTokensFileSchema('client', 'read');

/** Maps read tokens to the client that holds them. */
export class ReadTokens extends SecretMap<string> {
  constructor(tokens: z.infer<typeof ReadTokensFileSchema>) {
    super(Object.entries(tokens).map(([token, e]) => [token, e.client]));
  }

  static load(path: string): ReadTokens {
    return new ReadTokens(loadSecretsFile(path, ReadTokensFileSchema, 'read tokens file'));
  }
}
