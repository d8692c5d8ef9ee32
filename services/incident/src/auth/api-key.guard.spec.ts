import type { ExecutionContext } from '@nestjs/common';
import { VigilError } from '@vigil/platform';
import { ApiKeyGuard } from './api-key.guard';
import { ApiKeys } from './api-keys';

const keys = new ApiKeys({ 'key-alice-0001': { person: 'alice', team: 'sre', admin: false } });
const guard = new ApiKeyGuard(keys);

function check(request: { headers: Record<string, string>; query?: Record<string, string> }) {
  const req: Record<string, unknown> = { ...request };
  const context = { switchToHttp: () => ({ getRequest: () => req }) } as unknown as ExecutionContext;
  return { allowed: () => guard.canActivate(context), req };
}

function rejection(fn: () => unknown): VigilError {
  try {
    fn();
  } catch (error) {
    if (error instanceof VigilError) return error;
    throw error;
  }
  throw new Error('expected the guard to refuse');
}

describe('ApiKeyGuard', () => {
  it('accepts a valid key in the Authorization header', () => {
    const { allowed, req } = check({ headers: { authorization: 'Bearer key-alice-0001' } });
    expect(allowed()).toBe(true);
    expect(req.actor).toEqual({ person: 'alice', team: 'sre', admin: false });
  });

  it('refuses a valid key in ?access_token= with 401 naming the rule', () => {
    const error = rejection(check({ headers: {}, query: { access_token: 'key-alice-0001' } }).allowed);
    expect(error.status).toBe(401);
    expect(error.code).toBe('api_key_in_query');
    expect(error.message).toMatch(/API keys are accepted only in the Authorization header/);
  });

  it('refuses ?access_token= even next to a valid header (the URL has already leaked the key)', () => {
    const error = rejection(check({ headers: { authorization: 'Bearer key-alice-0001' }, query: { access_token: 'key-alice-0001' } }).allowed);
    expect(error.code).toBe('api_key_in_query');
  });

  it('names a missing or unknown key', () => {
    expect(rejection(check({ headers: {} }).allowed).message).toMatch(/missing API key/);
    expect(rejection(check({ headers: { authorization: 'Bearer key-nobody-01' } }).allowed).message).toBe('unknown API key');
  });
});
