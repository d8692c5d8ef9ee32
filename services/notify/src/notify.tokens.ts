/** Nest tokens of notify's parts that are plain classes built by factories. */
export const DIRECTORY = Symbol('notify:directory');
export const SMS_CHANNEL = Symbol('notify:sms-channel');
export const EMAIL_CHANNEL = Symbol('notify:email-channel');
export const TEMPLATES = Symbol('notify:templates');
