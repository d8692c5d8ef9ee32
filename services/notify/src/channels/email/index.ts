export { SmtpEmailChannel, SmtpEmailChannelOptionsSchema, messageIdFor, threadRootIdFor } from './smtp-email.channel';
export type { SmtpEmailChannelOptions } from './smtp-email.channel';
export { classifySmtpError } from './classify-smtp-error';
