/** Nest injection tokens for query's values that are not classes. */
export const READ_TOKENS = Symbol('READ_TOKENS');
export const READ_AUTH_FAILURES = Symbol('READ_AUTH_FAILURES');
