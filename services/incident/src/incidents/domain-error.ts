import { VigilError, type ErrorKind } from '@vigil/platform';

/** The kinds a decision can fail with (HTTP 404, 403, 409, 422; the same status in NATS error replies). */
export type DomainErrorKind = Extract<ErrorKind, 'not_found' | 'forbidden' | 'conflict' | 'unprocessable'>;

/** A command the current state does not allow; `code` is stable for clients, the message names the rule. */
export class IncidentDomainError extends VigilError {
  declare readonly kind: DomainErrorKind;

  constructor(kind: DomainErrorKind, code: string, message: string) {
    super(kind, code, message);
    this.name = 'IncidentDomainError';
  }
}

export class IncidentNotFoundError extends IncidentDomainError {
  constructor(id: string) {
    super('not_found', 'incident_not_found', `incident ${id} does not exist`);
  }
}

/** A role rule was violated; the message says which. */
export class RoleViolationError extends IncidentDomainError {
  constructor(code: string, message: string) {
    super('forbidden', code, message);
  }
}

export class InvalidTransitionError extends IncidentDomainError {
  constructor(code: string, message: string) {
    super('conflict', code, message);
  }
}

export class UnprocessableCommandError extends IncidentDomainError {
  constructor(code: string, message: string) {
    super('unprocessable', code, message);
  }
}
