import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { EventStore, StoredEvent } from '@bsc/event-store';
import { GENESIS_HASH, hashEvent } from './hash-chain';

/** One broken link: where it is and what is wrong with it. */
export interface IntegrityFailure {
  streamId: string;
  revision: number;
  eventId: string;
  reason: string;
}

/** The outcome of `verifyIntegrity`; `ok` is true exactly when `failures` is empty. */
export interface IntegrityReport {
  ok: boolean;
  streamsChecked: number;
  eventsChecked: number;
  failures: IntegrityFailure[];
}

export interface VerifyIntegrityOptions {
  /** Check only events at or before this global position (default: everything up to the head). */
  upToPosition?: number;
  /** Called after each page with the number of events checked so far. */
  onProgress?: (checked: number) => void;
  /** Events read per page (default 1000). */
  pageSize?: number;
}

/** What we remember of a stream: its last revision and the hash that event claims. */
interface StreamHead {
  revision: number;
  hash: unknown;
}

const DEFAULT_PAGE_SIZE = 1000;

/**
 * Recomputes every stream's hash chain from the global log, one page at a time, keeping only one head per
 * stream in memory. Per stream it checks that revisions run from 0 without gaps or repeats (a gap is a
 * deleted event), that `prevHash` is the previous event's `hash` (the genesis hash at revision 0), and that
 * `hash` is what `hashEvent` gives for the event as stored; across the log, that positions only go up.
 *
 * What it cannot see: a chain rewritten consistently end to end, or events cut off a stream's tail. Those
 * need a digest kept outside the store (see `computeAnchor`).
 *
 * @example
 *   const report = await verifyIntegrity(store, { onProgress: (n) => bar.update(n) });
 *   if (!report.ok) for (const f of report.failures) console.log(f.streamId, f.revision, f.reason);
 */
export const verifyIntegrity = async (store: EventStore, options: VerifyIntegrityOptions = {}): Promise<IntegrityReport> => {
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  const upTo = options.upToPosition ?? Number.POSITIVE_INFINITY;
  const heads = new Map<string, StreamHead>();
  const failures: IntegrityFailure[] = [];
  let eventsChecked = 0;
  let lastPosition = 0;
  let lastEventId: string | undefined;
  let fromPosition: number | undefined;

  for (;;) {
    let read = 0;
    let reachedEnd = false;
    // Pages restart AT the last position seen (reads are inclusive), skipping that one event again: on
    // EventStoreDB positions are opaque and last + 1 may point inside a record.
    const limit = fromPosition === undefined ? pageSize : pageSize + 1;
    for await (const event of store.readAll({ fromPosition, limit })) {
      read++;
      if (read === 1 && fromPosition !== undefined && event.eventId === lastEventId && event.position === lastPosition) continue;
      if (event.position > upTo) {
        reachedEnd = true;
        break;
      }
      if (!(event.position > lastPosition)) {
        failures.push(failureOf(event, `position ${event.position} does not come after position ${lastPosition}: the global log goes backwards or repeats`));
      }
      lastPosition = Math.max(lastPosition, event.position);
      lastEventId = event.eventId;
      failures.push(...checkLink(event, heads.get(event.streamId)).map((reason) => failureOf(event, reason)));
      const head = heads.get(event.streamId);
      // A repeated or backwards revision must not rewind the head, or every later event would look out of place too.
      if (!head || event.revision > head.revision) heads.set(event.streamId, { revision: event.revision, hash: event.metadata?.hash });
      eventsChecked++;
    }
    options.onProgress?.(eventsChecked);
    if (reachedEnd || read < limit) break;
    fromPosition = lastPosition;
    // Checking a long log is CPU-bound; let the server answer other requests between pages.
    await yieldToEventLoop();
  }

  return { ok: failures.length === 0, streamsChecked: heads.size, eventsChecked, failures };
};

/** Every reason this event does not link to the stream head before it (empty when it does). */
const checkLink = (event: StoredEvent, previous: StreamHead | undefined): string[] => {
  const reasons: string[] = [];
  const expectedRevision = previous ? previous.revision + 1 : 0;
  const metadata = event.metadata ?? {};
  let linkable = true;

  if (!Number.isInteger(event.revision) || event.revision < expectedRevision) {
    reasons.push(`revision ${event.revision} repeated or out of order: expected revision ${expectedRevision}`);
    linkable = false;
  } else if (event.revision > expectedRevision) {
    const missing = event.revision - expectedRevision;
    reasons.push(`revision gap: ${missing} missing before revision ${event.revision}`);
    // With events missing there is no previous event to compare prevHash with: the gap is the finding.
    linkable = false;
  }

  if (typeof metadata.prevHash !== 'string') {
    reasons.push('prevHash missing');
  } else if (linkable) {
    const expectedPrevHash = event.revision === 0 ? GENESIS_HASH : previous?.hash;
    if (metadata.prevHash !== expectedPrevHash) {
      reasons.push(event.revision === 0 ? 'prevHash is not the genesis hash at revision 0' : 'prevHash does not match the previous event');
    }
  }

  if (typeof metadata.hash !== 'string') {
    reasons.push('hash missing');
  } else {
    const recomputed = recomputeHash(event);
    if (recomputed === undefined) reasons.push('hash cannot be recomputed: the event holds a value JSON cannot represent');
    else if (recomputed !== metadata.hash) reasons.push('hash mismatch: content changed');
  }
  return reasons;
};

const recomputeHash = (event: StoredEvent): string | undefined => {
  try {
    return hashEvent({ eventId: event.eventId, streamId: event.streamId, type: event.type, data: event.data, metadata: event.metadata ?? {} });
  } catch {
    return undefined;
  }
};

const failureOf = (event: StoredEvent, reason: string): IntegrityFailure => ({
  streamId: event.streamId,
  revision: event.revision,
  eventId: event.eventId,
  reason,
});
