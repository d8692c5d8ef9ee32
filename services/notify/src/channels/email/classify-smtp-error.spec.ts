import { classifySmtpError } from './classify-smtp-error';

/** Builds an error the way nodemailer hands it back: an Error with its SMTP fields on it. */
function smtpError(fields: { code?: string; responseCode?: number; response?: string; originalCode?: string }, message = 'failed'): Error {
  return Object.assign(new Error(message), fields);
}

describe('classifySmtpError', () => {
  it.each([
    [550, '550 5.1.1 mailbox unavailable'],
    [553, '553 mailbox name not allowed'],
    [554, '554 transaction failed'],
    [501, '501 bad address syntax'],
  ])('reply %i is permanent, with the reply code and text', (responseCode, response) => {
    expect(classifySmtpError(smtpError({ code: 'EENVELOPE', responseCode, response }))).toEqual({ kind: 'permanent', code: String(responseCode), message: response });
  });

  it.each([421, 450, 451, 452])('reply %i is retry', (responseCode) => {
    expect(classifySmtpError(smtpError({ code: 'EENVELOPE', responseCode, response: `${responseCode} try later` }))).toEqual({
      kind: 'retry',
      code: String(responseCode),
      message: `${responseCode} try later`,
    });
  });

  it('503 (bad sequence of commands) speaks of the session, not the message: retry', () => {
    expect(classifySmtpError(smtpError({ code: 'EPROTOCOL', responseCode: 503 })).kind).toBe('retry');
  });

  it('connection refused, wrapped by nodemailer as ESOCKET, is retry with the socket code', () => {
    expect(classifySmtpError(smtpError({ code: 'ESOCKET', originalCode: 'ECONNREFUSED' }, 'connect ECONNREFUSED 127.0.0.1:1'))).toEqual({
      kind: 'retry',
      code: 'ECONNREFUSED',
      message: 'connect ECONNREFUSED 127.0.0.1:1',
    });
  });

  it.each(['ETIMEDOUT', 'ECONNRESET', 'ESOCKET', 'ECONNECTION', 'EDNS', 'EPROTOCOL'])('network error %s is retry', (code) => {
    expect(classifySmtpError(smtpError({ code }))).toMatchObject({ kind: 'retry', code });
  });

  it('auth failure is retry (config, fixed by the operator), even though its reply code is 5xx', () => {
    expect(classifySmtpError(smtpError({ code: 'EAUTH', responseCode: 535, response: '535 5.7.8 bad credentials' }))).toEqual({
      kind: 'retry',
      code: 'EAUTH',
      message: '535 5.7.8 bad credentials',
    });
    expect(classifySmtpError(smtpError({ code: 'EENVELOPE', responseCode: 530, response: '530 authentication required' }))).toMatchObject({ kind: 'retry', code: '530' });
  });

  it('an envelope nodemailer refuses before sending (no reply code) is permanent', () => {
    expect(classifySmtpError(smtpError({ code: 'EENVELOPE' }, 'No recipients defined'))).toEqual({ kind: 'permanent', code: 'EENVELOPE', message: 'No recipients defined' });
  });

  it('anything unrecognised is retry, never a silent drop', () => {
    expect(classifySmtpError(new Error('boom'))).toEqual({ kind: 'retry', code: 'EUNKNOWN', message: 'boom' });
    expect(classifySmtpError('a string')).toEqual({ kind: 'retry', code: 'EUNKNOWN', message: 'a string' });
    expect(classifySmtpError(null)).toEqual({ kind: 'retry', code: 'EUNKNOWN', message: 'null' });
  });
});
