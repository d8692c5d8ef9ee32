import { WriteTokens } from '../auth/write-tokens';
import { authorizeWrite } from './write-auth';

const TOKEN = 'tok_0123456789abcdef';
const tokens = new WriteTokens({ [TOKEN]: { producer: 'telegraf' } });

describe('authorizeWrite', () => {
  it.each(['/api/v1/write', '/api/v2/write', '/api/v1/import'])('accepts "Bearer <token>" on %s', (path) => {
    expect(authorizeWrite(tokens, path, `Bearer ${TOKEN}`)).toEqual({ producer: 'telegraf' });
    expect(authorizeWrite(tokens, path, `bearer  ${TOKEN} `)).toEqual({ producer: 'telegraf' });
  });

  it('accepts the Influx "Token <token>" scheme on /api/v2/write only', () => {
    expect(authorizeWrite(tokens, '/api/v2/write', `Token ${TOKEN}`)).toEqual({ producer: 'telegraf' });
    expect(authorizeWrite(tokens, '/api/v1/write', `Token ${TOKEN}`)).toMatchObject({ reason: 'malformed' });
  });

  it('names what is wrong', () => {
    expect(authorizeWrite(tokens, '/api/v1/import', undefined)).toEqual({
      reason: 'missing',
      message: 'write token required: send the header "Authorization: Bearer <token>"',
    });
    expect(authorizeWrite(tokens, '/api/v2/write', '')).toMatchObject({ reason: 'missing', message: expect.stringContaining('Token <token>') });
    expect(authorizeWrite(tokens, '/api/v1/write', `Basic ${TOKEN}`)).toMatchObject({ reason: 'malformed' });
    expect(authorizeWrite(tokens, '/api/v1/write', TOKEN)).toMatchObject({ reason: 'malformed' });
    expect(authorizeWrite(tokens, '/api/v1/write', 'Bearer tok_wrong_wrong_wrong')).toEqual({ reason: 'unknown_token', message: 'write token not recognised' });
  });
});
