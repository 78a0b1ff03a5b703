import { ErrorType, StreamDeletedError, StreamNotFoundError, WrongExpectedVersionError, convertToCommandError, isCommandError } from '@eventstore/db-client';
import { EventStoreError, StoreUnavailable, StreamNotFound, WrongExpectedRevision } from '../../event-store.errors';
import { ExpectedRevision } from '../../expected-revision';
import { toPortActualRevision } from './esdb-positions';

/** What the adapter was doing, so a translated error names the caller's stream and expectation. */
export interface EsdbErrorContext {
  streamId?: string;
  expectedRevision?: ExpectedRevision;
}

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
  if (converted instanceof Error && isCommandError(converted) && TRANSIENT.has(converted.type)) {
    return new StoreUnavailable(`EventStoreDB unavailable: ${converted.message}`, converted);
  }
  // Discovery (esdb+discover:// or several hosts) gives up with a plain Error.
  if (converted instanceof Error && /failed to discover/i.test(converted.message)) {
    return new StoreUnavailable(`EventStoreDB unavailable: ${converted.message}`, converted);
  }
  return converted;
}
