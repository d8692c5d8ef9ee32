/** How a domain error maps onto an API answer. */
export type DomainErrorKind = 'not_found' | 'forbidden' | 'conflict' | 'unprocessable';

/** A command the current state does not allow; `code` is stable for clients, the message names the rule. */
export class IncidentDomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    readonly code: string,
    message: string,
  ) {
    super(message);
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
