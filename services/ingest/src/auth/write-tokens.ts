import { bearerTokensFileSchema, loadSecretsFile, SecretMap } from '@vigil/platform';
import { z } from 'zod';

/** `<token>: {producer: <name>}`; tokens of at least 16 characters, so they cannot be guessed by trying. */
export const WriteTokensFileSchema = bearerTokensFileSchema('producer', 'write');

/** Maps write tokens to the producer that holds them. */
export class WriteTokens extends SecretMap<string> {
  constructor(tokens: z.infer<typeof WriteTokensFileSchema>) {
    super(Object.entries(tokens).map(([token, e]) => [token, e.producer]));
  }

  static load(path: string): WriteTokens {
    return new WriteTokens(loadSecretsFile(path, WriteTokensFileSchema, 'write tokens file'));
  }
}
