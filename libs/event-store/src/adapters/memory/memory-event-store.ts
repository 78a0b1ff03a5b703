import { ActualRevision, ExpectedRevision, NO_STREAM, revisionSatisfies } from '../../expected-revision';
import { DuplicateEventId, StoreUnavailable, StreamNotFound, WrongExpectedRevision } from '../../event-store.errors';
import { AppendOptions, AppendResult, EventFilter, EventStore, ReadAllOptions, ReadStreamOptions, StreamAppend, StreamAppendOutcome, SubscribeAllOptions } from '../../event-store.port';
import { NewEvent, StoredEvent, checkedMetadataKeys, pickMetadata } from '../../stored-event';

/** Events per page of `subscribeAllPages`. */
const PAGE_SIZE = 256;

/** Payloads are kept as JSON text, so readers get fresh copies and the same shapes a real store returns. */
interface MemoryRecord {
  eventId: string;
  streamId: string;
  revision: number;
  position: number;
  type: string;
  data: string;
  metadata: string;
  recordedAt: string;
}

/**
 * An EventStore held in process memory, for unit tests. Full port semantics: positions start at 1
 * and are gap-free, event ids are unique across the log (reuse throws DuplicateEventId), and
 * `recordedAt` never goes backwards even if the wall clock does. Nothing survives the process.
 *
 * @example
 *   const store = new MemoryEventStore();
 *   await store.append('plant-1', [{ eventId, type: 'PlantAnnounced', data, metadata: {} }], { expectedRevision: NO_STREAM });
 */
export class MemoryEventStore implements EventStore {
  private readonly log: MemoryRecord[] = [];
  private readonly streams = new Map<string, MemoryRecord[]>();
  private readonly eventIds = new Set<string>();
  private lastRecordedAt = '';
  private closed = false;
  private wakeSubscribers: () => void = () => undefined;
  private appended: Promise<void> = this.nextAppendSignal();

  async append(streamId: string, events: readonly NewEvent[], options: AppendOptions): Promise<AppendResult> {
    this.assertOpen();
    assertNotEmpty(events);
    const result = this.write(streamId, events, options.expectedRevision);
    this.wakeSubscribers();
    return result;
  }

  /** Written in one go, like the SQLite transaction: no reader sees some entries without the others. */
  async appendMany(appends: readonly StreamAppend[]): Promise<StreamAppendOutcome[]> {
    for (const { events } of appends) assertNotEmpty(events);
    if (this.closed) {
      const closed = new StoreUnavailable('the in-memory event store is closed');
      return appends.map(() => ({ ok: false, error: closed }));
    }
    const outcomes = appends.map(({ streamId, events, expectedRevision }): StreamAppendOutcome => {
      try {
        return { ok: true, ...this.write(streamId, events, expectedRevision) };
      } catch (error) {
        if (error instanceof WrongExpectedRevision || error instanceof DuplicateEventId) return { ok: false, error };
        throw error;
      }
    });
    this.wakeSubscribers();
    return outcomes;
  }

  private write(streamId: string, events: readonly NewEvent[], expectedRevision: ExpectedRevision): AppendResult {
    const stream = this.streams.get(streamId) ?? [];
    const actual: ActualRevision = stream.length === 0 ? NO_STREAM : stream.length - 1;
    if (!revisionSatisfies(expectedRevision, actual)) throw new WrongExpectedRevision(streamId, expectedRevision, actual);
    const idsInBatch = new Set<string>();
    for (const { eventId } of events) {
      if (this.eventIds.has(eventId) || idsInBatch.has(eventId)) throw new DuplicateEventId(eventId);
      idsInBatch.add(eventId);
    }
    const serialised = events.map((event) => Object.assign({}, event, { data: toJson(event.data ?? null, 'data'), metadata: toJson(event.metadata ?? {}, 'metadata') }));

    const now = new Date().toISOString();
    this.lastRecordedAt = now > this.lastRecordedAt ? now : this.lastRecordedAt;
    for (const event of serialised) {
      const record: MemoryRecord = {
        eventId: event.eventId,
        streamId,
        revision: stream.length,
        position: this.log.length + 1,
        type: event.type,
        data: event.data,
        metadata: event.metadata,
        recordedAt: this.lastRecordedAt,
      };
      stream.push(record);
      this.log.push(record);
      this.eventIds.add(record.eventId);
    }
    this.streams.set(streamId, stream);
    const last = stream[stream.length - 1];
    return { revision: last.revision, position: last.position };
  }

  async *readStream(streamId: string, options: ReadStreamOptions = {}): AsyncIterable<StoredEvent> {
    this.assertOpen();
    const stream = this.streams.get(streamId);
    if (!stream) throw new StreamNotFound(streamId);
    const limit = options.limit ?? Number.POSITIVE_INFINITY;
    let yielded = 0;
    if (options.direction === 'backwards') {
      for (let revision = Math.min(options.fromRevision ?? stream.length - 1, stream.length - 1); revision >= 0 && yielded < limit; revision--, yielded++) {
        yield toStoredEvent(stream[revision]);
      }
    } else {
      for (let revision = options.fromRevision ?? 0; revision < stream.length && yielded < limit; revision++, yielded++) {
        yield toStoredEvent(stream[revision]);
      }
    }
  }

  async readStreams(streamIds: readonly string[]): Promise<Map<string, StoredEvent[]>> {
    this.assertOpen();
    return new Map(streamIds.map((streamId) => [streamId, (this.streams.get(streamId) ?? []).map((record) => toStoredEvent(record))]));
  }

  async *readAll(options: ReadAllOptions = {}): AsyncIterable<StoredEvent> {
    this.assertOpen();
    const keep = typeFilter(options.filter);
    const limit = options.limit ?? Number.POSITIVE_INFINITY;
    let yielded = 0;
    for (let index = Math.max((options.fromPosition ?? 1) - 1, 0); index < this.log.length && yielded < limit; index++) {
      const record = this.log[index];
      if (!keep(record.type)) continue;
      yielded++;
      yield toStoredEvent(record);
    }
  }

  async *subscribeAll(options: SubscribeAllOptions = {}): AsyncIterable<StoredEvent> {
    for await (const page of this.subscribeAllPages(options)) yield* page;
  }

  async *subscribeAllPages(options: SubscribeAllOptions = {}): AsyncIterable<readonly StoredEvent[]> {
    const keep = typeFilter(options.filter);
    const keys = checkedMetadataKeys(options.metadataKeys);
    let nextIndex = Math.max(options.fromPosition ?? 0, 0);
    while (!this.closed) {
      if (nextIndex < this.log.length) {
        const records = this.log.slice(nextIndex, nextIndex + PAGE_SIZE);
        nextIndex += records.length;
        const page = records.filter((record) => keep(record.type)).map((record) => toStoredEvent(record, keys));
        if (page.length > 0) yield page;
        continue;
      }
      await this.appended;
    }
  }

  async headPosition(): Promise<number> {
    this.assertOpen();
    return this.log.length;
  }

  async ping(): Promise<void> {
    this.assertOpen();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wakeSubscribers();
  }

  private nextAppendSignal(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.wakeSubscribers = () => {
        this.appended = this.nextAppendSignal();
        resolve();
      };
    });
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreUnavailable('the in-memory event store is closed');
  }
}


function assertNotEmpty(events: readonly NewEvent[]): void {
  if (events.length === 0) throw new RangeError('append needs at least one event');
}

function typeFilter(filter: EventFilter | undefined): (type: string) => boolean {
  if (!filter?.eventTypes) return () => true;
  const types = new Set(filter.eventTypes);
  return (type) => types.has(type);
}

function toJson(value: unknown, field: string): string {
  const json = JSON.stringify(value);
  if (typeof json !== 'string') throw new TypeError(`event ${field} must be representable as JSON`);
  return json;
}

function toStoredEvent(record: MemoryRecord, metadataKeys?: readonly string[]): StoredEvent {
  return Object.assign({}, record, { data: JSON.parse(record.data) as unknown, metadata: pickMetadata(JSON.parse(record.metadata) as Record<string, unknown>, metadataKeys) });
}
