import { SmtpEmailChannel, messageIdFor, threadRootIdFor } from './smtp-email.channel';

describe('SmtpEmailChannel (no network)', () => {
  const options = { smtpUrl: 'smtp://127.0.0.1:1', from: 'Vigil <vigil@example.com>', domain: 'vigil.example' };

  it('builds Message-IDs from the key and the thread root from the thread id', () => {
    expect(messageIdFor('d-1', 'vigil.example')).toBe('<d-1@vigil.example>');
    expect(threadRootIdFor('inc-7', 'vigil.example')).toBe('<thread-inc-7@vigil.example>');
  });

  it('refuses options it cannot work with', () => {
    expect(() => new SmtpEmailChannel({ ...options, smtpUrl: 'http://mail.example' })).toThrow();
    expect(() => new SmtpEmailChannel({ ...options, domain: 'bad domain' })).toThrow();
  });

  it('answers permanent, without connecting, when a header field would break the header', async () => {
    const channel = new SmtpEmailChannel(options);
    try {
      const base = { to: 'a@example.com', subject: 's', text: 't', html: '<p>t</p>', messageKey: 'd-1' };
      await expect(channel.send({ ...base, messageKey: 'x>\r\nBcc: evil@example.com' })).resolves.toMatchObject({ kind: 'permanent', code: 'invalid-message' });
      await expect(channel.send({ ...base, threadId: 'a b' })).resolves.toMatchObject({ kind: 'permanent', code: 'invalid-message' });
      await expect(channel.send({ ...base, subject: 'one\r\ntwo' })).resolves.toMatchObject({ kind: 'permanent', code: 'invalid-message' });
      await expect(channel.send({ ...base, unsubscribeUrl: 'javascript:alert(1)' })).resolves.toMatchObject({ kind: 'permanent', code: 'invalid-message' });
    } finally {
      channel.close();
    }
  });
});
