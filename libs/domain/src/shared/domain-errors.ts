/**
 * Why the domain refuses a command. No HTTP here: the edge maps each class to a status in one place.
 */
export abstract class DomainError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The aggregate the command addresses does not exist. */
export class NotFound extends DomainError {}

/** A rule of the aggregate refuses the command (already exists, invalid transition, retracted fact). */
export class RuleViolated extends DomainError {}

/** The command refers to another entity that does not exist (e.g. an unknown `companyId`). */
export class ReferenceNotFound extends DomainError {}

/** A value is outside what the domain can hold; `field` names it. */
export class InvalidValue extends DomainError {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}
