import { ackCode } from './ack-token';
import { parseSmsReply } from './sms-reply';

describe('SMS replies', () => {
  it('reads ACK with its code in any case, separator and surrounding punctuation', () => {
    for (const body of ['ACK abc123', 'ack ABC123', 'Ack: abc123', '  ack   aBc123 \n', 'ACK-ABC123', 'ack abc123!', '"ACK ABC123."', 'ACKabc123'])
      expect([body, parseSmsReply(body)]).toEqual([body, { kind: 'ack', code: 'ABC123' }]);
    const code = ackCode('pg-1', 'secret');
    expect(parseSmsReply(`Ack ${code.toLowerCase()}`)).toEqual({ kind: 'ack', code });
  });

  it("reads Twilio's opt-out, opt-in and help keywords as the whole message only", () => {
    for (const body of ['STOP', 'stop', ' Stop. ', 'STOPALL', 'unsubscribe', 'Cancel', 'END', 'quit!', 'REVOKE', 'optout'])
      expect([body, parseSmsReply(body)]).toEqual([body, { kind: 'stop' }]);
    for (const body of ['START', 'yes', 'Unstop', 'YES!']) expect([body, parseSmsReply(body)]).toEqual([body, { kind: 'start' }]);
    for (const body of ['HELP', 'help?', 'Info']) expect([body, parseSmsReply(body)]).toEqual([body, { kind: 'help' }]);
  });

  it('knows nothing else', () => {
    for (const body of ['', '   ', 'STOP PLEASE', 'please stop', 'ACK', 'ACK abc12', 'ACK abc1234', 'ack abc 123', 'NACK abc123', 'abc123', 'yes please', 'STOPS', 'thanks'])
      expect([body, parseSmsReply(body)]).toEqual([body, { kind: 'unknown' }]);
  });
});
