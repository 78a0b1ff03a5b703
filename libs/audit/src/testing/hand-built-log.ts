import { EventStore, StoredEvent } from '@bsc/event-store';
import { GENESIS_HASH, sealEvent } from '../hash-chain';

/**
 * A hand-built log for the audit unit tests: events sealed as the write path seals them, then served through
 * the port as stored — so a test can tamper with them (change, drop, reorder) the way someone with the
 * database file could, which the real adapters never allow through `append`.
 */
export class HandBuiltLog {
  readonly events: StoredEvent[] = [];
  private readonly heads = new Map<string, { revision: number; hash: string }>();

  /** Seals and appends one event to `streamId`, recorded at `recordedAt`. */
  record(streamId: string, type: string, data: unknown, recordedAt = '2026-01-02T08:00:00.000Z'): StoredEvent {
    const head = this.heads.get(streamId);
    const eventId = `00000000-0000-4000-8000-${String(this.events.length + 1).padStart(12, '0')}`;
    const metadata = sealEvent({
      eventId,
      streamId,
      type,
      data,
      metadata: {
        schemaVersion: 1,
        recordedAt,
        recordedBy: 'integrator-test',
        source: { publisher: 'Battery weekly' },
        correlationId: `c-${this.events.length + 1}`,
        causationId: `c-${this.events.length + 1}`,
        prevHash: head?.hash ?? GENESIS_HASH,
      },
    });
    const stored: StoredEvent = {
      eventId,
      streamId,
      revision: head ? head.revision + 1 : 0,
      position: this.events.length + 1,
      type,
      data,
      metadata,
      recordedAt,
    };
    this.heads.set(streamId, { revision: stored.revision, hash: metadata.hash });
    this.events.push(stored);
    return stored;
  }

  /** The log as a read-only store (only the reads audit uses). */
  store(events: readonly StoredEvent[] = this.events): EventStore {
    return readOnlyStore(events);
  }
}

/** An EventStore over a fixed list of events, served in the list's order whatever their positions say. */
export const readOnlyStore = (events: readonly StoredEvent[]): EventStore => ({
  append: async () => {
    throw new Error('read-only test store');
  },
  appendMany: async () => {
    throw new Error('read-only test store');
  },
  readStream: async function* (streamId) {
    yield* events.filter((event) => event.streamId === streamId);
  },
  readStreams: async (streamIds) => new Map(streamIds.map((streamId) => [streamId, events.filter((event) => event.streamId === streamId)])),
  readAll: async function* (options = {}) {
    const from = options.fromPosition ?? 1;
    const limit = options.limit ?? Number.POSITIVE_INFINITY;
    let index = events.findIndex((event) => event.position >= from);
    if (index < 0) return;
    for (let yielded = 0; index < events.length && yielded < limit; index++, yielded++) yield structuredClone(events[index]);
  },
  subscribeAll: async function* () {
    yield* [];
  },
  subscribeAllPages: async function* () {
    yield* [];
  },
  headPosition: async () => events.reduce((max, event) => Math.max(max, event.position), 0),
  ping: async () => undefined,
  close: async () => undefined,
});
