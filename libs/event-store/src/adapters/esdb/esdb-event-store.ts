import { AllStreamResolvedEvent, BACKWARDS, END, EventStoreDBClient, FORWARDS, Position, ResolvedEvent, START } from '@eventstore/db-client';
import { EventStoreError, StoreUnavailable, StreamNotFound, WrongExpectedRevision } from '../../event-store.errors';
import { AppendOptions, AppendResult, EventStore, ReadAllOptions, ReadStreamOptions, StreamAppend, StreamAppendOutcome, SubscribeAllOptions } from '../../event-store.port';
import { NewEvent, StoredEvent, checkedMetadataKeys, pickMetadata } from '../../stored-event';
import { DEFAULT_DEADLINE_MS, withAdapterDefaults } from './esdb-connection-string';
import { EsdbErrorContext, translateEsdbError } from './esdb-errors';
import { toJsonEvent, toStoredEvent } from './esdb-event-mapping';
import { toEsdbExpectedRevision, toEsdbPosition, toEsdbRevision, toPortActualRevision, toPortPosition, toPortRevision } from './esdb-positions';
import { subscriptionFilterFor } from './esdb-subscription-filter';

/**
 * The client gives reads no deadline (they may stream for long), and its first append waits on an
 * undeadlined feature query; this bound keeps ping, headPosition and append from hanging on a
 * server that accepts connections but does not answer.
 */
const ANSWER_TIMEOUT_MS = DEFAULT_DEADLINE_MS + 1_000;
/** The client cannot filter `$all` reads on the server, so readAll pages through it and filters here. */
const READ_ALL_PAGE_SIZE = 500;
const HEAD_PAGE_SIZE = 64;

/**
 * A client read or subscription: a Node stream the client's gRPC call is piped into. The call must be
 * cancelled or run to its end, not only abandoned (see `drain`).
 */
interface ClientRead<E> extends AsyncIterable<E> {
  iterator(options: { destroyOnReturn: boolean }): AsyncIterable<E>;
  on(event: 'error', listener: (error: Error) => void): unknown;
  resume(): unknown;
  destroy(error?: Error): unknown;
  cancel?: () => Promise<void>;
  unsubscribe?: () => Promise<void>;
}

/**
 * The EventStore port on EventStoreDB (`@eventstore/db-client` over gRPC): the path to several API
 * replicas on a three-node cluster.
 *
 * - Expected revisions map one to one; a conflict is a `WrongExpectedRevision`, a missing stream a
 *   `StreamNotFound`, an unreachable or slow server a `StoreUnavailable`.
 * - Positions are EventStoreDB commit positions: increasing, gapped, opaque. A `readAll` or
 *   `subscribeAll` that starts inside a record fails with `PositionNotInLog`.
 * - `readAll` and `subscribeAll` never yield system events (type or stream starting with `$`);
 *   subscriptions filter on the server.
 * - A subscription that loses its server throws `StoreUnavailable`; the consumer resubscribes from
 *   the last position it handled. Every other call recovers by itself once the server is back,
 *   since the client reconnects and the adapter keeps no connection state of its own.
 * - `appendMany` appends stream by stream: each entry is atomic, the call as a whole is not.
 * - `DuplicateEventId` is not guaranteed: EventStoreDB's idempotence is best effort (re-appending
 *   the same event ids at the same expected revision succeeds without writing; the same id in
 *   another stream is written again), and the adapter cannot detect either case cheaply.
 *
 * @example
 *   const store = EsdbEventStore.connect('esdb+discover://node1:2113,node2:2113?tls=true');
 *   await store.append('plant-catl-debrecen-hu', [event], { expectedRevision: 'no-stream' });
 */
export class EsdbEventStore implements EventStore {
  private readonly pendingAppends = new Set<Promise<unknown>>();
  private readonly openReads = new Set<ClientRead<unknown>>();
  private closed = false;

  constructor(private readonly client: EventStoreDBClient) {}

  /**
   * Connects lazily (the first call opens the channel) to `esdb://…` or `esdb+discover://…`, adding
   * short deadlines and keepalive unless the connection string sets them.
   */
  static connect(connectionString: string): EsdbEventStore {
    return new EsdbEventStore(EventStoreDBClient.connectionString(withAdapterDefaults(connectionString)));
  }

  async append(streamId: string, events: readonly NewEvent[], { expectedRevision }: AppendOptions): Promise<AppendResult> {
    this.assertOpen();
    if (events.length === 0) throw new RangeError('append needs at least one event');
    const context: EsdbErrorContext = { streamId, expectedRevision };
    const appending = withTimeout(
      this.client.appendToStream(streamId, events.map(toJsonEvent), { expectedRevision: toEsdbExpectedRevision(expectedRevision) }),
      `append to ${streamId}`,
    );
    this.pendingAppends.add(appending);
    try {
      const result = await appending;
      // Only reached when the connection string sets throwOnAppendFailure=false.
      if (!result.success) throw new WrongExpectedRevision(streamId, expectedRevision, toPortActualRevision(result.nextExpectedRevision));
      if (!result.position) throw new Error(`EventStoreDB acknowledged the append to ${streamId} without a position`);
      return { revision: toPortRevision(result.nextExpectedRevision), position: toPortPosition(result.position.commit) };
    } catch (error) {
      throw translateEsdbError(error, context);
    } finally {
      this.pendingAppends.delete(appending);
    }
  }

  /**
   * EventStoreDB has no transaction across streams: the entries are appended one after another, each
   * atomic on its own, so a reader may see the first entries before the last are written, and a crash
   * part-way leaves the earlier ones written. Once the server is unavailable the remaining entries are
   * not tried (each would wait out the deadline) and report the same StoreUnavailable.
   */
  async appendMany(appends: readonly StreamAppend[]): Promise<StreamAppendOutcome[]> {
    for (const { events } of appends) if (events.length === 0) throw new RangeError('append needs at least one event');
    const outcomes: StreamAppendOutcome[] = [];
    let unavailable: StoreUnavailable | undefined;
    for (const { streamId, events, expectedRevision } of appends) {
      if (unavailable) {
        outcomes.push({ ok: false, error: unavailable });
        continue;
      }
      try {
        outcomes.push({ ok: true, ...(await this.append(streamId, events, { expectedRevision })) });
      } catch (error) {
        if (!(error instanceof EventStoreError)) throw error;
        if (error instanceof StoreUnavailable) unavailable = error;
        outcomes.push({ ok: false, error });
      }
    }
    return outcomes;
  }

  async *readStream(streamId: string, options: ReadStreamOptions = {}): AsyncIterable<StoredEvent> {
    this.assertOpen();
    const backwards = options.direction === 'backwards';
    if (options.limit !== undefined && options.limit <= 0) return;
    const read = this.client.readStream(streamId, {
      direction: backwards ? BACKWARDS : FORWARDS,
      fromRevision: options.fromRevision !== undefined ? toEsdbRevision(options.fromRevision) : backwards ? END : START,
      maxCount: options.limit,
    });
    for await (const resolved of this.drain<ResolvedEvent>(read, { streamId })) {
      const event = toStoredEvent(resolved);
      if (event) yield event;
    }
  }

  /** One read per stream, concurrently (gRPC multiplexes them on the connection); not a snapshot across streams. */
  async readStreams(streamIds: readonly string[]): Promise<Map<string, StoredEvent[]>> {
    const unique = [...new Set(streamIds)];
    const read = async (streamId: string): Promise<StoredEvent[]> => {
      const events: StoredEvent[] = [];
      try {
        for await (const event of this.readStream(streamId)) events.push(event);
      } catch (error) {
        if (!(error instanceof StreamNotFound)) throw error;
      }
      return events;
    };
    const streams = await Promise.all(unique.map(read));
    return new Map(unique.map((streamId, i) => [streamId, streams[i]]));
  }

  async *readAll(options: ReadAllOptions = {}): AsyncIterable<StoredEvent> {
    this.assertOpen();
    const wanted = options.filter?.eventTypes === undefined ? undefined : new Set(options.filter.eventTypes);
    const limit = options.limit ?? Infinity;
    if (wanted?.size === 0 || limit <= 0) return;
    let from: Position | typeof START = options.fromPosition === undefined ? START : toEsdbPosition(options.fromPosition);
    // Forward reads include their start; after the first page, that start is an event already yielded.
    let alreadySeen: bigint | undefined;
    let yielded = 0;
    for (;;) {
      let pageLength = 0;
      let last: Position | undefined;
      const read = this.client.readAll({ fromPosition: from, direction: FORWARDS, maxCount: READ_ALL_PAGE_SIZE });
      // Only the caller's start can be refused; later pages start at positions the server gave.
      const context: EsdbErrorContext = alreadySeen === undefined ? { fromPosition: options.fromPosition } : {};
      for await (const resolved of this.drain<AllStreamResolvedEvent>(read, context)) {
        pageLength++;
        const position = resolved.event?.position;
        if (position) last = position;
        if (alreadySeen !== undefined && position && position.commit <= alreadySeen) continue;
        const event = toStoredEvent(resolved);
        if (!event || (wanted && !wanted.has(event.type))) continue;
        yield event;
        if (++yielded >= limit) return;
      }
      if (pageLength < READ_ALL_PAGE_SIZE || !last) return;
      from = last;
      alreadySeen = last.commit;
    }
  }

  async *subscribeAll(options: SubscribeAllOptions = {}): AsyncIterable<StoredEvent> {
    this.assertOpen();
    const wanted = options.filter?.eventTypes === undefined ? undefined : new Set(options.filter.eventTypes);
    const after = options.fromPosition ?? 0;
    const keys = checkedMetadataKeys(options.metadataKeys);
    const subscription = this.client.subscribeToAll({
      fromPosition: after > 0 ? toEsdbPosition(after) : START,
      filter: subscriptionFilterFor(options.filter),
    });
    for await (const resolved of this.drain<AllStreamResolvedEvent>(subscription, { fromPosition: after })) {
      const event = toStoredEvent(resolved);
      if (!event || event.position <= after || (wanted && !wanted.has(event.type))) continue;
      if (keys !== undefined) event.metadata = pickMetadata(event.metadata, keys);
      yield event;
    }
  }

  /** The client delivers a subscription event by event: each is a page of its own. */
  async *subscribeAllPages(options: SubscribeAllOptions = {}): AsyncIterable<readonly StoredEvent[]> {
    for await (const event of this.subscribeAll(options)) yield [event];
  }

  async headPosition(): Promise<number> {
    this.assertOpen();
    let from: Position | typeof END = END;
    for (;;) {
      const page = await this.readPage(this.client.readAll({ fromPosition: from, direction: BACKWARDS, maxCount: HEAD_PAGE_SIZE }));
      for (const resolved of page) {
        const event = toStoredEvent(resolved);
        if (event) return event.position;
      }
      const oldest = page.at(-1)?.event?.position;
      if (page.length < HEAD_PAGE_SIZE || !oldest) return 0;
      // Backward reads exclude their start, so the next page begins below the oldest system event.
      from = oldest;
    }
  }

  async ping(): Promise<void> {
    this.assertOpen();
    await this.readPage(this.client.readAll({ fromPosition: END, direction: BACKWARDS, maxCount: 1 }));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled([...this.pendingAppends]);
    // Cancelled before destroyed: destroying a read unpipes and pauses its call (see `drain`).
    const open = [...this.openReads];
    await Promise.all(open.map(cancel));
    for (const read of open) read.destroy();
    await this.client.dispose();
  }

  /**
   * Iterates a client read, translating its errors and cancelling the gRPC call however the
   * iteration ends. Closing the store ends open subscriptions quietly.
   *
   * The client re-emits every error of its gRPC call as an 'error' event, also after the iteration has
   * ended (when the call's HTTP/2 session is reset, say). An event with no listener is thrown by Node,
   * which would crash the process; the iteration has already reported what it had to, so a late error is
   * dropped.
   *
   * A consumer that stops early must not destroy the read: that unpipes and pauses the call, and if the
   * server's end of the call arrives before the (deferred) cancel, a paused call never ends. The client
   * keeps every call until it ends, and its `dispose()` waits for them all, so each such read stayed in
   * memory for the life of the process and held the application's shutdown until its deadline. Instead
   * the call is cancelled and whatever it still sends flows away unread.
   */
  private async *drain<E>(read: ClientRead<E>, context: EsdbErrorContext): AsyncGenerator<E> {
    read.on('error', ignoreLateError);
    this.openReads.add(read);
    let stoppedEarly = true;
    try {
      for await (const item of read.iterator({ destroyOnReturn: false })) yield item;
      stoppedEarly = false;
    } catch (error) {
      stoppedEarly = false;
      if (this.closed) return;
      throw translateEsdbError(error, context);
    } finally {
      this.openReads.delete(read);
      await cancel(read);
      if (stoppedEarly) read.resume();
    }
  }

  /** Reads a short result completely, or fails with StoreUnavailable when no answer comes in time. */
  private async readPage(read: ClientRead<AllStreamResolvedEvent>): Promise<AllStreamResolvedEvent[]> {
    const timer = setTimeout(() => read.destroy(new StoreUnavailable(`EventStoreDB did not answer within ${ANSWER_TIMEOUT_MS} ms`)), ANSWER_TIMEOUT_MS);
    try {
      const page: AllStreamResolvedEvent[] = [];
      for await (const resolved of this.drain(read, {})) page.push(resolved);
      return page;
    } finally {
      clearTimeout(timer);
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreUnavailable('the EventStoreDB store is closed');
  }
}

/** See `drain`: an error while the read is iterated also reaches the iterator, which reports it. */
function ignoreLateError(): void {}

async function cancel(read: ClientRead<unknown>): Promise<void> {
  try {
    if (read.unsubscribe) await read.unsubscribe();
    else if (read.cancel) await read.cancel();
  } catch {
    // The call is already over; nothing is left to cancel.
  }
}

function withTimeout<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StoreUnavailable(`EventStoreDB did not answer ${what} within ${ANSWER_TIMEOUT_MS} ms`)), ANSWER_TIMEOUT_MS);
  });
  return Promise.race([work, timedOut]).finally(() => clearTimeout(timer));
}
