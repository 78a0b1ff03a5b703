import { ExpectedRevision } from './expected-revision';
import { EventStoreError } from './event-store.errors';
import { NewEvent, StoredEvent } from './stored-event';

export interface AppendOptions {
  expectedRevision: ExpectedRevision;
}

/** Where an append landed: the stream revision and global position of its last event. */
export interface AppendResult {
  revision: number;
  position: number;
}

/** One stream's share of an `appendMany` call. */
export interface StreamAppend {
  streamId: string;
  events: readonly NewEvent[];
  expectedRevision: ExpectedRevision;
}

/**
 * What became of one `StreamAppend`: where it landed, or why nothing of it was written
 * (WrongExpectedRevision, DuplicateEventId, StoreUnavailable — the errors `append` would throw).
 */
export type StreamAppendOutcome = ({ ok: true } & AppendResult) | { ok: false; error: EventStoreError };

export type Direction = 'forwards' | 'backwards';

export interface ReadStreamOptions {
  /** Inclusive start; defaults to the first (forwards) or last (backwards) event. */
  fromRevision?: number;
  direction?: Direction;
  limit?: number;
}

/** Keep only events whose type is in the list (an empty list keeps nothing). */
export interface EventFilter {
  eventTypes?: readonly string[];
}

export interface ReadAllOptions {
  /**
   * Inclusive start position; defaults to the beginning of the log. On a store with gapped positions
   * (EventStoreDB) it must be 0, an event's position or past the head: a start inside a record fails
   * the iteration with PositionNotInLog.
   */
  fromPosition?: number;
  limit?: number;
  filter?: EventFilter;
}

export interface SubscribeAllOptions {
  /**
   * Exclusive: the subscription yields events strictly after this position. Omitted = from the start. As
   * for `readAll`, a position inside a record fails the iteration with PositionNotInLog.
   */
  fromPosition?: number;
  filter?: EventFilter;
  /**
   * Only these top-level keys of each event's metadata (those it has), for readers that need a few of them
   * and should not pay for the rest, e.g. a projection replaying a long log. Omitted = the whole metadata.
   * Names of letters, digits and underscores only (RangeError otherwise).
   */
  metadataKeys?: readonly string[];
}

/**
 * The one door to storage. Every adapter passes the same contract suite
 * (`testing/event-store.contract.ts`).
 *
 * @example
 *   const { revision } = await store.append('plant-catl-debrecen-hu', [event], { expectedRevision: NO_STREAM });
 *   for await (const e of store.readStream('plant-catl-debrecen-hu')) evolve(state, e);
 */
export interface EventStore {
  /** Appends atomically; throws WrongExpectedRevision, DuplicateEventId or StoreUnavailable, writing nothing. */
  append(streamId: string, events: readonly NewEvent[], options: AppendOptions): Promise<AppendResult>;
  /**
   * Appends to several streams in one call, in order, answering one outcome per entry (same order). Each
   * entry is checked against its own expected revision and fails alone, as `append` would have thrown;
   * the others are written. An entry sees the entries before it, so a stream may appear more than once.
   * Rejects, writing nothing, only for invalid arguments (an entry without events, a bad revision).
   * Whether the written entries become visible together is the adapter's: SQLite and memory commit the
   * whole call at once, EventStoreDB (no multi-stream transactions) appends stream by stream.
   */
  appendMany(appends: readonly StreamAppend[]): Promise<StreamAppendOutcome[]>;
  /**
   * Several whole streams at once, each in revision order; a stream without events maps to an empty list.
   * For writers that decide on many streams together (batch waves): one round trip instead of one per stream.
   */
  readStreams(streamIds: readonly string[]): Promise<Map<string, StoredEvent[]>>;
  /** Throws StreamNotFound (on iteration) when the stream has no events. */
  readStream(streamId: string, options?: ReadStreamOptions): AsyncIterable<StoredEvent>;
  readAll(options?: ReadAllOptions): AsyncIterable<StoredEvent>;
  /** Catch-up then live, in global order, without gaps or duplicates; ends when the consumer stops iterating. */
  subscribeAll(options?: SubscribeAllOptions): AsyncIterable<StoredEvent>;
  /**
   * `subscribeAll` a page at a time: the same events in the same order, in non-empty pages of what is
   * available (bounded), for consumers that take many events per await (projections catching up).
   */
  subscribeAllPages(options?: SubscribeAllOptions): AsyncIterable<readonly StoredEvent[]>;
  /** Highest position stored (0 when empty). */
  headPosition(): Promise<number>;
  /** Resolves when the store answers; throws StoreUnavailable otherwise. */
  ping(): Promise<void>;
  /** Flushes and releases resources; pending appends finish first. */
  close(): Promise<void>;
}

export const EVENT_STORE = Symbol('EVENT_STORE');
