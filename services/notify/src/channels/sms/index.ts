export * from './sms-text';
export * from './twilio-answer';
export * from './twilio-signature';
export * from './twilio-status-callback';
export * from './twilio-sms.channel';
export * from './unconfigured-sms.channel';
