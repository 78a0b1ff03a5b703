import { ANY, AppendExpectedRevision, NO_STREAM as ESDB_NO_STREAM, Position, STREAM_EXISTS as ESDB_STREAM_EXISTS } from '@eventstore/db-client';
import { ActualRevision, ExpectedRevision, NO_STREAM, STREAM_EXISTS } from '../../expected-revision';

/**
 * The port's position is the event's commit position, one to one. EventStoreDB positions are byte
 * offsets in its log: ordered, gapped and opaque, never counters.
 */
export function toPortPosition(commit: bigint): number {
  return toSafeNumber(commit, 'position');
}

/** A port position as a read start; commit = prepare holds for every event we append. */
export function toEsdbPosition(position: number): Position {
  if (!Number.isSafeInteger(position) || position < 0) throw new RangeError(`invalid position ${position}`);
  return { commit: BigInt(position), prepare: BigInt(position) };
}

export function toEsdbRevision(revision: number): bigint {
  if (!Number.isSafeInteger(revision) || revision < 0) throw new RangeError(`invalid revision ${revision}`);
  return BigInt(revision);
}

export function toPortRevision(revision: bigint): number {
  return toSafeNumber(revision, 'revision');
}

export function toEsdbExpectedRevision(expected: ExpectedRevision): AppendExpectedRevision {
  switch (expected) {
    case NO_STREAM:
      return ESDB_NO_STREAM;
    case STREAM_EXISTS:
      return ESDB_STREAM_EXISTS;
    case 'any':
      return ANY;
    default:
      return toEsdbRevision(expected);
  }
}

/** Older servers report a missing stream as revision -1 rather than `no_stream`. */
export function toPortActualRevision(actual: bigint | string): ActualRevision {
  if (typeof actual === 'bigint' && actual >= 0n) return toPortRevision(actual);
  return NO_STREAM;
}

function toSafeNumber(value: bigint, what: string): number {
  if (value < 0n || value > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`EventStoreDB ${what} ${value} does not fit a JavaScript number`);
  return Number(value);
}
