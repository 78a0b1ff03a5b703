import Database from 'better-sqlite3';
import { resolve as resolvePath } from 'node:path';
import { ActualRevision, ANY, ExpectedRevision, NO_STREAM, STREAM_EXISTS, revisionSatisfies } from '../../expected-revision';
import { DuplicateEventId, StoreUnavailable, StreamNotFound, WrongExpectedRevision } from '../../event-store.errors';
import { AppendOptions, AppendResult, EventFilter, EventStore, ReadAllOptions, ReadStreamOptions, StreamAppend, StreamAppendOutcome, SubscribeAllOptions } from '../../event-store.port';
import { EventMetadata, NewEvent, StoredEvent, checkedMetadataKeys } from '../../stored-event';
import { LogPagePrefetcher } from './log-page-prefetcher';
import { openEventDatabase } from './schema';
import { sqliteCode, translateSqliteError } from './sqlite-errors';

/** Rows fetched per query of a stream: reads never hold more than this in memory at once. */
const PAGE_SIZE = 256;
/**
 * Rows fetched per query of the log (reads and subscriptions), at most a few MB: a replay of a long log
 * alternates reading and applying a page, and larger pages make both faster (the caches stay with one).
 */
const LOG_PAGE_SIZE = 2048;
/**
 * How far behind the head a subscription must start to read the log ahead on a worker thread: a replay
 * of a long log, not a subscriber that is nearly caught up (starting the worker costs tens of ms).
 */
const READ_AHEAD_BEHIND = 50_000;

export interface SqliteEventStoreOptions {
  /** Events a new subscription must be behind the head by to read ahead on a worker (default 50 000). */
  readAheadBehind?: number;
}

/** A row of the events table as SELECT_COLUMNS reads it; also read by tests that inspect the file directly. */
export interface EventRow {
  position: number;
  streamId: string;
  revision: number;
  eventId: string;
  type: string;
  data: string;
  metadata: string;
  recordedAt: string;
}

interface SerialisedEvent {
  eventId: string;
  type: string;
  data: string;
  metadata: string;
}

interface PendingAppend {
  streamId: string;
  events: SerialisedEvent[];
  expectedRevision: ExpectedRevision;
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
}

type AppendOutcome = { ok: true; result: AppendResult } | { ok: false; error: unknown };

interface LogPage {
  events: StoredEvent[];
  /** Every position up to here has been looked at, including events the filter skipped. */
  scannedThrough: number;
  reachedHead: boolean;
}

export const SELECT_COLUMNS = 'position, stream_id AS streamId, revision, event_id AS eventId, type, data, metadata, recorded_at AS recordedAt';

/**
 * A log row as an array, the order of SELECT_COLUMNS then one JSON text (or null) per metadata key read
 * instead of the whole metadata: a replay of the log reads a million of them, and objects cost more.
 */
type LogRow = [position: number, streamId: string, revision: number, eventId: string, type: string, data: string, metadata: string | null, recordedAt: string, ...picked: (string | null)[]];

/** The log page queries that read `metadataKeys` (undefined: the whole metadata). */
function prepareLogPages(db: Database.Database, metadataKeys: readonly string[] | undefined) {
  const picked = (metadataKeys ?? []).map((key) => `, metadata -> '$.${key}'`).join('');
  const columns = `${SELECT_COLUMNS.replace(', metadata,', metadataKeys ? ', NULL,' : ', metadata,')}${picked}`;
  return {
    all: db.prepare<[number, number, number], LogRow>(`SELECT ${columns} FROM events WHERE position > ? AND position <= ? ORDER BY position ASC LIMIT ?`).raw(true),
    filtered: db
      .prepare<[number, number, string, number], LogRow>(
        `SELECT ${columns} FROM events
         WHERE position > ? AND position <= ? AND type IN (SELECT value FROM json_each(?))
         ORDER BY position ASC LIMIT ?`,
      )
      .raw(true),
  };
}

function prepareStatements(db: Database.Database) {
  return {
    streamRevision: db.prepare<[string], { revision: number | null }>('SELECT max(revision) AS revision FROM events WHERE stream_id = ?'),
    lastRecordedAt: db.prepare<[], { recordedAt: string }>('SELECT recorded_at AS recordedAt FROM events ORDER BY position DESC LIMIT 1'),
    insert: db.prepare<[string, number, string, string, string, string, string]>(
      'INSERT INTO events (stream_id, revision, event_id, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    eventIdExists: db.prepare<[string], { found: number }>('SELECT 1 AS found FROM events WHERE event_id = ?'),
    head: db.prepare<[], { head: number }>('SELECT coalesce(max(position), 0) AS head FROM events'),
    streamForwards: db.prepare<[string, number, number], EventRow>(
      `SELECT ${SELECT_COLUMNS} FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision ASC LIMIT ?`,
    ),
    streamBackwards: db.prepare<[string, number, number], EventRow>(
      `SELECT ${SELECT_COLUMNS} FROM events WHERE stream_id = ? AND revision <= ? ORDER BY revision DESC LIMIT ?`,
    ),
    streams: db.prepare<[string], EventRow>(
      `SELECT ${SELECT_COLUMNS} FROM events WHERE stream_id IN (SELECT value FROM json_each(?)) ORDER BY stream_id, revision`,
    ),
    ping: db.prepare<[], { ok: number }>('SELECT 1 AS ok'),
    beginRead: db.prepare('BEGIN DEFERRED'),
    endRead: db.prepare('COMMIT'),
    abandonRead: db.prepare('ROLLBACK'),
  };
}

/**
 * The embedded, default EventStore: one SQLite file in WAL mode with `synchronous=FULL`, so an
 * acknowledged append survives `kill -9` and power loss.
 *
 * Appends that arrive while a commit is being prepared (the same event-loop turn) are committed
 * together in one transaction, hence one fsync; each is still checked against its own expected
 * revision and fails or succeeds on its own. Reads of one turn share one read transaction (see
 * `holdReadSnapshot`). Positions are the table's rowids: they start at 1 and
 * are gap-free. Subscriptions are in-process: they page through the file and wait for the next
 * commit when caught up.
 *
 * @example
 *   const store = SqliteEventStore.open('data/events.sqlite');
 *   await store.append('plant-catl-debrecen-hu', [event], { expectedRevision: NO_STREAM });
 *   await store.close();
 */
export class SqliteEventStore implements EventStore {
  private readonly statements: ReturnType<typeof prepareStatements>;
  /** Log page queries by the metadata keys they read, comma-separated ('*' for all of it), prepared on first use. */
  private readonly logPages = new Map<string, ReturnType<typeof prepareLogPages>>();
  private readonly commitGroup: (group: PendingAppend[]) => AppendOutcome[];
  private queue: PendingAppend[] = [];
  private flushScheduled = false;
  private closed = false;
  private commits = 0;
  private commitSignal = new Signal();

  private constructor(
    private readonly db: Database.Database,
    /** The absolute path of the database file. */
    readonly filePath: string,
    private readonly readAheadBehind: number,
  ) {
    this.statements = prepareStatements(db);
    const insertAll = (pending: PendingAppend, startRevision: number, recordedAt: string): AppendResult => {
      let position = 0;
      pending.events.forEach((event, i) => {
        const info = this.statements.insert.run(pending.streamId, startRevision + i, event.eventId, event.type, event.data, event.metadata, recordedAt);
        position = Number(info.lastInsertRowid);
      });
      return { revision: startRevision + pending.events.length - 1, position };
    };
    // A nested better-sqlite3 transaction is a SAVEPOINT: a refused append of several events rolls back
    // alone, freeing its rowids. One refused INSERT undoes itself (statement rollback) and takes no rowid,
    // so single-event appends, most of a batch, skip the savepoint.
    const insertInSavepoint = db.transaction(insertAll);
    const appendOne = (pending: PendingAppend, startRevision: number, recordedAt: string): AppendResult =>
      (pending.events.length === 1 ? insertAll : insertInSavepoint)(pending, startRevision, recordedAt);
    this.commitGroup = db.transaction((group: PendingAppend[]) => {
      const recordedAt = this.nextRecordedAt();
      const revisionsInGroup = new Map<string, ActualRevision>();
      return group.map((pending): AppendOutcome => {
        const actual = revisionsInGroup.get(pending.streamId) ?? this.currentRevision(pending.streamId);
        if (!revisionSatisfies(pending.expectedRevision, actual)) {
          return { ok: false, error: new WrongExpectedRevision(pending.streamId, pending.expectedRevision, actual) };
        }
        try {
          const result = appendOne(pending, actual === NO_STREAM ? 0 : actual + 1, recordedAt);
          revisionsInGroup.set(pending.streamId, result.revision);
          return { ok: true, result };
        } catch (error) {
          const code = sqliteCode(error) ?? '';
          if (!code.startsWith('SQLITE_CONSTRAINT')) throw error;
          const refusal = code === 'SQLITE_CONSTRAINT_UNIQUE' ? this.explainConstraint(pending, actual) : translateSqliteError(error, this.filePath, 'append');
          return { ok: false, error: refusal };
        }
      });
    }).immediate;
  }

  /**
   * Opens the store at `filePath`, creating the file (and its directory) when missing.
   *
   * Throws StoreCorrupted for a file that is not a SQLite database, is visibly damaged, or belongs
   * to another application; StoreUnavailable when it cannot be read or written. Such files are
   * never modified.
   */
  static open(filePath: string, options: SqliteEventStoreOptions = {}): SqliteEventStore {
    const absolutePath = resolvePath(filePath);
    return new SqliteEventStore(openEventDatabase(absolutePath), absolutePath, options.readAheadBehind ?? READ_AHEAD_BEHIND);
  }

  /** How many write transactions this instance has committed; concurrent appends share one. */
  get commitCount(): number {
    return this.commits;
  }

  /**
   * Resolves once the events are durably committed. An empty `events` list is a programming error
   * (RangeError).
   */
  append(streamId: string, events: readonly NewEvent[], options: AppendOptions): Promise<AppendResult> {
    return new Promise((resolve, reject) => {
      this.assertOpen('append');
      assertValidAppend(events, options.expectedRevision);
      this.enqueue({ streamId, events: serialise(events), expectedRevision: options.expectedRevision, resolve, reject });
    });
  }

  /**
   * Every entry joins the same group as the appends around it: one transaction, one fsync for the whole
   * call, each entry still checked (and refused) on its own.
   */
  async appendMany(appends: readonly StreamAppend[]): Promise<StreamAppendOutcome[]> {
    for (const { events, expectedRevision } of appends) assertValidAppend(events, expectedRevision);
    if (this.closed) {
      const closed = new StoreUnavailable(`event store ${this.filePath} is closed; cannot append`);
      return appends.map(() => ({ ok: false, error: closed }));
    }
    const serialised = appends.map(({ events }) => {
      try {
        return serialise(events);
      } catch (error) {
        if (error instanceof DuplicateEventId) return error;
        throw error;
      }
    });
    return Promise.all(
      appends.map(
        ({ streamId, expectedRevision }, i) =>
          new Promise<StreamAppendOutcome>((resolve) => {
            const events = serialised[i];
            if (events instanceof DuplicateEventId) return resolve({ ok: false, error: events });
            this.enqueue({
              streamId,
              events,
              expectedRevision,
              resolve: (result) => resolve({ ok: true, ...result }),
              reject: (error) => resolve({ ok: false, error: translateSqliteError(error, this.filePath, 'append') }),
            });
          }),
      ),
    );
  }

  async *readStream(streamId: string, options: ReadStreamOptions = {}): AsyncIterable<StoredEvent> {
    const backwards = options.direction === 'backwards';
    let remaining = options.limit ?? Number.POSITIVE_INFINITY;
    let nextRevision = options.fromRevision ?? (backwards ? Number.MAX_SAFE_INTEGER : 0);
    let firstPage = true;
    while (remaining > 0) {
      const pageSize = Math.min(PAGE_SIZE, remaining);
      const rows = this.query('read a stream', () =>
        backwards
          ? this.statements.streamBackwards.all(streamId, nextRevision, pageSize)
          : this.statements.streamForwards.all(streamId, nextRevision, pageSize),
      );
      // Revisions start at 0 and have no gaps: an empty first page from either end means no stream.
      const fromAnEnd = options.fromRevision === undefined || (!backwards && options.fromRevision <= 0);
      if (firstPage && rows.length === 0 && (fromAnEnd || this.query('read a stream', () => this.statements.streamRevision.get(streamId)?.revision ?? null) === null)) {
        throw new StreamNotFound(streamId);
      }
      firstPage = false;
      for (const row of rows) yield toStoredEvent(row);
      if (rows.length < pageSize) return;
      remaining -= rows.length;
      nextRevision = rows[rows.length - 1].revision + (backwards ? -1 : 1);
    }
  }

  /** One query (a consistent snapshot) for all of them, through the stream index. */
  async readStreams(streamIds: readonly string[]): Promise<Map<string, StoredEvent[]>> {
    const streams = new Map<string, StoredEvent[]>(streamIds.map((streamId) => [streamId, []]));
    if (streams.size === 0) return streams;
    const rows = this.query('read streams', () => this.statements.streams.all(JSON.stringify([...streams.keys()])));
    for (const row of rows) streams.get(row.streamId)?.push(toStoredEvent(row));
    return streams;
  }

  readAll(options: ReadAllOptions = {}): AsyncIterable<StoredEvent> {
    return { [Symbol.asyncIterator]: () => new LogReader(this, options) };
  }

  subscribeAll(options: SubscribeAllOptions = {}): AsyncIterable<StoredEvent> {
    return { [Symbol.asyncIterator]: () => new SqliteSubscription(this, Math.max(options.fromPosition ?? 0, 0), options) };
  }

  subscribeAllPages(options: SubscribeAllOptions = {}): AsyncIterable<readonly StoredEvent[]> {
    return { [Symbol.asyncIterator]: () => new SqliteSubscription(this, Math.max(options.fromPosition ?? 0, 0), options).pages() };
  }

  async headPosition(): Promise<number> {
    return this.query('read the head position', () => this.statements.head.get()?.head ?? 0);
  }

  async ping(): Promise<void> {
    this.query('answer a ping', () => this.statements.ping.get());
  }

  /** Commits appends still waiting for their group, ends every subscription, then releases the file. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    this.commitSignal.fire();
    this.releaseReadSnapshot();
    this.db.close();
  }

  /**
   * @internal Used by subscriptions: one bounded page of the log after `after`, at most up to the current
   * head, with only `metadataKeys` of the metadata when given.
   */
  readLogPage(after: number, filter: EventFilter | undefined, limit: number, metadataKeys?: readonly string[]): LogPage {
    // The keys become part of the query: checked first, and refused as the caller's error, not the store's.
    checkedMetadataKeys(metadataKeys);
    return this.query('read the log', () => {
      const head = this.statements.head.get()?.head ?? 0;
      if (filter?.eventTypes?.length === 0) return { events: [], scannedThrough: head, reachedHead: true };
      const pages = this.logPagesReading(metadataKeys);
      const rows = filter?.eventTypes ? pages.filtered.all(after, head, JSON.stringify(filter.eventTypes), limit) : pages.all.all(after, head, limit);
      const reachedHead = rows.length < limit;
      const events = new Array<StoredEvent>(rows.length);
      for (let i = 0; i < rows.length; i++) events[i] = logEvent(rows[i], metadataKeys);
      return { events, scannedThrough: reachedHead ? head : rows[rows.length - 1][0], reachedHead };
    });
  }

  private logPagesReading(metadataKeys: readonly string[] | undefined): ReturnType<typeof prepareLogPages> {
    const key = metadataKeys?.join(',') ?? '*';
    let pages = this.logPages.get(key);
    if (pages === undefined) {
      pages = prepareLogPages(this.db, metadataKeys);
      this.logPages.set(key, pages);
    }
    return pages;
  }

  /**
   * @internal Used by subscriptions as they start: a worker reading the log ahead from `after` up to the
   * current head, when the head is far enough ahead for it to pay; undefined otherwise. Unfiltered
   * subscriptions only: a replay reads everything.
   */
  readAhead(after: number, filter: EventFilter | undefined, metadataKeys: readonly string[] | undefined): LogPagePrefetcher | undefined {
    if (filter !== undefined) return undefined;
    checkedMetadataKeys(metadataKeys);
    const head = this.query('read the head position', () => this.statements.head.get()?.head ?? 0);
    if (head - after < this.readAheadBehind) return undefined;
    return new LogPagePrefetcher({ filePath: this.filePath, metadataKeys, pageSize: LOG_PAGE_SIZE }, after, head);
  }

  /** @internal Resolves at the next commit or when the store closes, whichever comes first. */
  nextCommit(): Promise<void> {
    return this.commitSignal.promise;
  }

  /** @internal */
  get isClosed(): boolean {
    return this.closed;
  }

  private flush(): void {
    this.flushScheduled = false;
    const group = this.queue;
    this.queue = [];
    if (group.length === 0) return;
    let outcomes: AppendOutcome[];
    try {
      this.releaseReadSnapshot();
      // Inside an open transaction better-sqlite3 makes the group a savepoint, which would commit nothing.
      if (this.db.inTransaction) throw new StoreUnavailable(`event store ${this.filePath} could not end a read transaction; appends refused`);
      outcomes = this.commitGroup(group);
    } catch (error) {
      const failure = translateSqliteError(error, this.filePath, 'commit appends');
      for (const pending of group) pending.reject(failure);
      return;
    }
    this.commits++;
    group.forEach((pending, i) => {
      const outcome = outcomes[i];
      if (outcome.ok) pending.resolve(outcome.result);
      else pending.reject(outcome.error);
    });
    this.commitSignal.fire();
    this.commitSignal = new Signal();
  }

  private enqueue(pending: PendingAppend): void {
    this.queue.push(pending);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  private currentRevision(streamId: string): ActualRevision {
    return this.statements.streamRevision.get(streamId)?.revision ?? NO_STREAM;
  }

  /** The record clock never runs backwards, even when the wall clock does. */
  private nextRecordedAt(): string {
    const now = new Date().toISOString();
    const last = this.statements.lastRecordedAt.get()?.recordedAt ?? '';
    return now > last ? now : last;
  }

  private explainConstraint(pending: PendingAppend, actual: ActualRevision): Error {
    const reused = pending.events.find((event) => this.statements.eventIdExists.get(event.eventId));
    if (reused) return new DuplicateEventId(reused.eventId);
    return new WrongExpectedRevision(pending.streamId, pending.expectedRevision, actual);
  }

  private query<T>(doing: string, run: () => T): T {
    this.assertOpen(doing);
    try {
      this.holdReadSnapshot();
      return run();
    } catch (error) {
      throw translateSqliteError(error, this.filePath, doing);
    }
  }

  /**
   * Opens a read transaction that the reads of this event-loop turn share, ended when the turn's
   * immediates run or before the next commit, whichever comes first. A statement outside a transaction
   * begins and ends its own, taking and releasing the WAL's shared-memory locks: a stream read took
   * 8–11 us that way and 1.8 us inside a transaction, and under 64 writers `readStreams` was 23–30 us of
   * a ~250 us POST. Reads see the log as of the turn's first read; this process only writes in `flush`,
   * which ends the snapshot first, and other processes' commits show from the next turn on. The only
   * transaction open between statements is this one (a commit group opens and ends its own in one call),
   * so `inTransaction` is all the state it needs.
   */
  private holdReadSnapshot(): void {
    if (this.db.inTransaction) return;
    this.statements.beginRead.run();
    setImmediate(() => this.releaseReadSnapshot());
  }

  /**
   * A read transaction holds nothing to keep: when COMMIT fails (the file went away), ROLLBACK frees it.
   * Runs from an immediate, so it never throws; should the transaction stay open, `flush` refuses appends.
   */
  private releaseReadSnapshot(): void {
    if (!this.db.open) return;
    try {
      if (this.db.inTransaction) this.statements.endRead.run();
    } catch {
      // ended below
    }
    try {
      if (this.db.inTransaction) this.statements.abandonRead.run();
    } catch {
      // left to flush
    }
  }

  private assertOpen(doing: string): void {
    if (this.closed) throw new StoreUnavailable(`event store ${this.filePath} is closed; cannot ${doing}`);
  }
}

/**
 * `readAll`'s iterator. A plain iterator rather than an async generator: a replay of the whole log takes
 * its events one by one, and a generator's extra awaits per event cost a quarter of a raw read.
 */
class LogReader implements AsyncIterator<StoredEvent> {
  private page: StoredEvent[] = [];
  private at = 0;
  private lastPage = false;
  private remaining: number;
  private after: number;

  constructor(
    private readonly store: SqliteEventStore,
    private readonly options: ReadAllOptions,
  ) {
    this.remaining = options.limit ?? Number.POSITIVE_INFINITY;
    this.after = Math.max((options.fromPosition ?? 1) - 1, 0);
  }

  next(): Promise<IteratorResult<StoredEvent>> {
    try {
      while (this.at === this.page.length) {
        if (this.lastPage || this.remaining <= 0) return Promise.resolve({ value: undefined, done: true });
        const page = this.store.readLogPage(this.after, this.options.filter, Math.min(LOG_PAGE_SIZE, this.remaining));
        this.page = page.events;
        this.at = 0;
        this.lastPage = page.reachedHead;
        this.remaining -= page.events.length;
        this.after = page.scannedThrough;
      }
      return Promise.resolve({ value: this.page[this.at++], done: false });
    } catch (error) {
      return Promise.reject(error);
    }
  }
}

/**
 * A pull-based catch-up subscription: it reads one page at a time from its own cursor, so it can
 * neither skip nor repeat an event, and holds at most one page however far behind it is (two when it
 * starts far behind and a worker reads the next page while this one is applied).
 */
class SqliteSubscription implements AsyncIterableIterator<StoredEvent> {
  private buffered: StoredEvent[] = [];
  private at = 0;
  private ended = false;
  private wake: () => void = () => undefined;
  /** Set up on the first page; undefined once it has nothing more to give (or was never worth starting). */
  private readingAhead: LogPagePrefetcher | undefined | 'not yet' = 'not yet';

  constructor(
    private readonly store: SqliteEventStore,
    private cursor: number,
    private readonly options: SubscribeAllOptions,
  ) {}

  async next(): Promise<IteratorResult<StoredEvent>> {
    if (this.at === this.buffered.length) {
      const page = await this.nextPage();
      if (page.done) return page;
      this.buffered = page.value;
      this.at = 0;
    }
    return { value: this.buffered[this.at++], done: false };
  }

  /** The next non-empty page after the cursor, waiting for a commit when caught up. */
  async nextPage(): Promise<IteratorResult<StoredEvent[]>> {
    for (;;) {
      if (this.ended || this.store.isClosed) return this.end();
      if (this.readingAhead === 'not yet') this.readingAhead = this.store.readAhead(this.cursor, this.options.filter, this.options.metadataKeys);
      if (this.readingAhead !== undefined) {
        const ahead = await this.readingAhead.next();
        // The consumer may have returned, or the store closed, while the worker was reading.
        if (this.ended || this.store.isClosed) return this.end();
        if (ahead !== undefined) {
          this.cursor = ahead[ahead.length - 1].position;
          return { value: ahead, done: false };
        }
        // Read ahead as far as it goes: from here on the cursor is read the ordinary way.
        this.readingAhead = undefined;
      }
      // Taken before reading, so a commit that lands after the read still wakes us.
      const committed = this.store.nextCommit();
      const page = this.store.readLogPage(this.cursor, this.options.filter, LOG_PAGE_SIZE, this.options.metadataKeys);
      this.cursor = page.scannedThrough;
      if (page.events.length > 0) return { value: page.events, done: false };
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        void committed.then(resolve);
      });
    }
  }

  async return(): Promise<IteratorResult<StoredEvent>> {
    return this.end();
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** The same subscription a page at a time; ending either ends both. */
  pages(): AsyncIterableIterator<StoredEvent[]> {
    const pages: AsyncIterableIterator<StoredEvent[]> = {
      next: () => this.nextPage(),
      return: async () => this.end(),
      [Symbol.asyncIterator]: () => pages,
    };
    return pages;
  }

  private end(): IteratorResult<never> {
    this.ended = true;
    if (this.readingAhead !== 'not yet') this.readingAhead?.close();
    this.readingAhead = undefined;
    this.buffered = [];
    this.at = 0;
    this.wake();
    return { value: undefined, done: true };
  }
}

/** A one-shot wake-up shared by every waiter. */
class Signal {
  fire: () => void = () => undefined;
  readonly promise = new Promise<void>((resolve) => {
    this.fire = resolve;
  });
}


function assertValidAppend(events: readonly NewEvent[], expected: ExpectedRevision): void {
  assertValidExpectedRevision(expected);
  if (events.length === 0) throw new RangeError('append needs at least one event');
}

/** Refuses an event id used twice in one append before anything reaches the database. */
function serialise(events: readonly NewEvent[]): SerialisedEvent[] {
  const idsInAppend = new Set<string>();
  return events.map((event) => {
    if (idsInAppend.has(event.eventId)) throw new DuplicateEventId(event.eventId);
    idsInAppend.add(event.eventId);
    return { eventId: event.eventId, type: event.type, data: toJson(event.data ?? null, 'data'), metadata: toJson(event.metadata ?? {}, 'metadata') };
  });
}

function assertValidExpectedRevision(expected: ExpectedRevision): void {
  if (typeof expected === 'number' ? !Number.isSafeInteger(expected) || expected < 0 : ![ANY, NO_STREAM, STREAM_EXISTS].includes(expected)) {
    throw new RangeError(`invalid expected revision ${String(expected)}`);
  }
}

function toJson(value: unknown, field: string): string {
  const json = JSON.stringify(value);
  if (typeof json !== 'string') throw new TypeError(`event ${field} must be representable as JSON`);
  return json;
}

function logEvent(row: LogRow, metadataKeys: readonly string[] | undefined): StoredEvent {
  return {
    eventId: row[3],
    streamId: row[1],
    revision: row[2],
    position: row[0],
    type: row[4],
    data: JSON.parse(row[5]) as unknown,
    metadata: metadataKeys ? pickedMetadata(row, metadataKeys) : (JSON.parse(row[6]!) as EventMetadata),
    recordedAt: row[7],
  };
}

/** The metadata keys read by the query (after the row's columns), as JSON texts; null where the key is absent. */
function pickedMetadata(row: LogRow, metadataKeys: readonly string[]): EventMetadata {
  const metadata: EventMetadata = {};
  for (let i = 0; i < metadataKeys.length; i++) {
    const json = row[8 + i] as string | null;
    if (json !== null) metadata[metadataKeys[i]] = parseJsonValue(json);
  }
  return metadata;
}

/** A JSON string without escapes is its own content: the usual record time needs no parser. */
function parseJsonValue(json: string): unknown {
  return json.length >= 2 && json[0] === '"' && json[json.length - 1] === '"' && !json.includes('\\') ? json.slice(1, -1) : JSON.parse(json);
}

export function toStoredEvent(row: EventRow): StoredEvent {
  return {
    eventId: row.eventId,
    streamId: row.streamId,
    revision: row.revision,
    position: row.position,
    type: row.type,
    data: JSON.parse(row.data) as unknown,
    metadata: JSON.parse(row.metadata) as EventMetadata,
    recordedAt: row.recordedAt,
  };
}
