import { ActualRevision, ExpectedRevision } from './expected-revision';

/** Base class, so edges can tell store failures from programming errors. */
export abstract class EventStoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The stream was not at the revision the writer expected; nothing was written. */
export class WrongExpectedRevision extends EventStoreError {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    readonly actual: ActualRevision,
  ) {
    super(`stream ${streamId}: expected revision ${String(expected)}, actual ${String(actual)}`);
  }
}

/** A read of a stream that has no events. */
export class StreamNotFound extends EventStoreError {
  constructor(readonly streamId: string) {
    super(`stream ${streamId} not found`);
  }
}

/** The store cannot be reached or cannot serve right now; the caller may retry later. */
export class StoreUnavailable extends EventStoreError {
  constructor(
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
  }
}

/** The store's files are damaged or not ours; we refuse to open rather than risk overwriting them. */
export class StoreCorrupted extends EventStoreError {
  constructor(
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
  }
}

/** An event id was already used; event ids are unique across the whole log. */
export class DuplicateEventId extends EventStoreError {
  constructor(readonly eventId: string) {
    super(`event id ${eventId} is already stored`);
  }
}

/**
 * A read of the log was asked to start where no event starts. EventStoreDB positions are byte offsets in its
 * log, so most numbers lie inside a record and the server refuses to read from them; SQLite and memory
 * positions are counters, where every number is a valid start.
 */
export class PositionNotInLog extends EventStoreError {
  constructor(readonly position: number) {
    super(`position ${position} is not where an event starts in the log`);
  }
}
