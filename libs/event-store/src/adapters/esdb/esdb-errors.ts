import { ErrorType, StreamDeletedError, StreamNotFoundError, WrongExpectedVersionError, convertToCommandError, isCommandError } from '@eventstore/db-client';
import { EventStoreError, PositionNotInLog, StoreUnavailable, StreamNotFound, WrongExpectedRevision } from '../../event-store.errors';
import { ExpectedRevision } from '../../expected-revision';
import { toPortActualRevision } from './esdb-positions';

/** What the adapter was doing, so a translated error names the caller's stream and expectation. */
export interface EsdbErrorContext {
  streamId?: string;
  expectedRevision?: ExpectedRevision;
  /** The position a read of `$all` starts at, when the caller chose it. */
  fromPosition?: number;
}

/**
 * How the server refuses a `$all` read or subscription that starts inside a record: "Trying to read from an
 * invalid position." (INVALID_ARGUMENT on KurrentDB, UNKNOWN on EventStoreDB 23.10; the client makes both
 * an UnknownError, which would otherwise pass for a transient failure).
 */
const INVALID_POSITION = /invalid position/i;

/**
 * Failures that mean "the server cannot answer right now". The client reconnects by itself after
 * `unavailable` and `not-leader`; the others are a slow or restarting server.
 */
const TRANSIENT: ReadonlySet<string> = new Set([
  ErrorType.UNAVAILABLE,
  ErrorType.DEADLINE_EXCEEDED,
  ErrorType.TIMEOUT,
  ErrorType.CANCELLED,
  ErrorType.NOT_LEADER,
  ErrorType.UNKNOWN,
]);

/**
 * Turns what `@eventstore/db-client` throws into the port's errors; the rest of the code base never
 * sees a client error class. Errors that are neither (bad arguments, access denied, oversized
 * appends) are returned unchanged: they are programming or configuration errors, not store states.
 */
export function translateEsdbError(error: unknown, context: EsdbErrorContext = {}): unknown {
  if (error instanceof EventStoreError) return error;
  const converted = error instanceof Error ? convertToCommandError(error) : error;

  if (converted instanceof WrongExpectedVersionError) {
    return new WrongExpectedRevision(
      context.streamId ?? converted.streamName,
      context.expectedRevision ?? 'any',
      toPortActualRevision(converted.actualVersion),
    );
  }
  // A deleted stream has no events to read, which is what the port calls "not found".
  if (converted instanceof StreamNotFoundError || converted instanceof StreamDeletedError) {
    return new StreamNotFound(context.streamId ?? converted.streamName);
  }
  if (context.fromPosition !== undefined && converted instanceof Error && isCommandError(converted) && INVALID_POSITION.test(converted.message)) {
    return new PositionNotInLog(context.fromPosition);
  }
  if (converted instanceof Error && isCommandError(converted) && TRANSIENT.has(converted.type)) {
    return new StoreUnavailable(`EventStoreDB unavailable: ${converted.message}`, converted);
  }
  // Discovery (esdb+discover:// or several hosts) gives up with a plain Error.
  if (converted instanceof Error && /failed to discover/i.test(converted.message)) {
    return new StoreUnavailable(`EventStoreDB unavailable: ${converted.message}`, converted);
  }
  return converted;
}
