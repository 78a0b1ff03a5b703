import { hash } from 'node:crypto';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { EventStore } from '@bsc/event-store';
import { canonicalJson } from './canonical-json';

/** A digest of every stream's head at one global position, for an auditor to keep outside the system. */
export interface Anchor {
  position: number;
  digest: string;
}

/**
 * The outcome of `verifyAnchor`: `digest` is the saved digest as given, `expectedDigest` the one the
 * history up to `position` yields now (null when the log does not reach that position any more).
 */
export interface AnchorVerification {
  ok: boolean;
  position: number;
  digest: string;
  expectedDigest: string | null;
}

/** An anchor was asked for at a position the log does not have. */
export class AnchorPositionOutOfRange extends RangeError {
  constructor(
    readonly position: number,
    readonly headPosition: number,
  ) {
    super(`position ${position} is not in the log: it must be an integer from 0 to the head position ${headPosition}`);
    this.name = 'AnchorPositionOutOfRange';
  }
}

const PAGE_SIZE = 1000;

/**
 * SHA-256 over the sorted list of every stream's head — `[streamId, revision, hash]` of its last event at or
 * before `position` — and the position itself. Saved outside the store, it catches what the hash chain alone
 * cannot: a stream rewritten consistently end to end, or events cut off a stream's tail. Throws
 * `AnchorPositionOutOfRange` for a position beyond the head.
 *
 * @example
 *   const anchor = await computeAnchor(store);        // { position: 1234, digest: '9f86d0…' }
 *   // … later, possibly after a restore from backup:
 *   (await verifyAnchor(store, anchor)).ok             // false if anything up to 1234 was rewritten
 */
export const computeAnchor = async (store: EventStore, position?: number): Promise<Anchor> => {
  const head = await store.headPosition();
  const at = position ?? head;
  if (!Number.isSafeInteger(at) || at < 0 || at > head) throw new AnchorPositionOutOfRange(at, head);
  return { position: at, digest: await digestUpTo(store, at) };
};

/**
 * Whether the history up to `anchor.position` still yields `anchor.digest`. A position beyond the head (the
 * log was cut short) is a failed verification, not an error.
 */
export const verifyAnchor = async (store: EventStore, anchor: Anchor): Promise<AnchorVerification> => {
  const head = await store.headPosition();
  const expectedDigest = Number.isSafeInteger(anchor.position) && anchor.position >= 0 && anchor.position <= head ? await digestUpTo(store, anchor.position) : null;
  return { ok: expectedDigest !== null && expectedDigest === anchor.digest, position: anchor.position, digest: anchor.digest, expectedDigest };
};

const digestUpTo = async (store: EventStore, position: number): Promise<string> => {
  const heads = new Map<string, [string, number, unknown]>();
  let fromPosition: number | undefined;
  let last = 0;
  let done = position === 0;
  while (!done) {
    let read = 0;
    // Pages restart AT the last position seen (reads are inclusive) rather than one past it: positions
    // are opaque on EventStoreDB, where last + 1 may point inside a record.
    const limit = fromPosition === undefined ? PAGE_SIZE : PAGE_SIZE + 1;
    for await (const event of store.readAll({ fromPosition, limit })) {
      read++;
      if (fromPosition !== undefined && event.position <= last) continue;
      if (event.position > position) {
        done = true;
        break;
      }
      last = event.position;
      heads.set(event.streamId, [event.streamId, event.revision, event.metadata?.hash ?? null]);
    }
    if (read < limit || last >= position) done = true;
    fromPosition = last;
    await yieldToEventLoop();
  }
  const sorted = [...heads.values()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  // The position is not hashed: it is a store's own numbering (a count in SQLite, a byte offset in
  // EventStoreDB), and an anchor must still verify after `cli migrate` moved the history.
  return hash('sha256', canonicalJson({ heads: sorted }), 'hex');
};
