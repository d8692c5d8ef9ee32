import { parseLastEventId } from './incident-stream.controller';

describe('parseLastEventId', () => {
  it('reads "<sequence>:<index>"', () => {
    expect(parseLastEventId('42:1')).toEqual({ sequence: 42, index: 1 });
    expect(parseLastEventId(undefined)).toBeNull();
  });
  it('names a malformed id', () => {
    expect(() => parseLastEventId('42')).toThrow('Last-Event-ID "42" is not "<sequence>:<index>"');
    expect(() => parseLastEventId('a:b')).toThrow(/a:b/);
  });
});
