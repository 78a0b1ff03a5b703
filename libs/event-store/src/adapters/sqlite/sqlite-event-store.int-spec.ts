import Database from 'better-sqlite3';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NO_STREAM } from '../../expected-revision';
import { DuplicateEventId, StoreCorrupted, StoreUnavailable, WrongExpectedRevision } from '../../event-store.errors';
import { NewEvent, StoredEvent } from '../../stored-event';
import { runEventStoreContract } from '../../testing/event-store.contract';
import { SqliteEventStore } from './sqlite-event-store';

runEventStoreContract('sqlite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sqlite-event-store-contract-'));
  return { store: SqliteEventStore.open(join(dir, 'events.sqlite')), cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
});

// Every unfiltered subscription reads ahead on a worker here, however short the log.
runEventStoreContract('sqlite, subscriptions reading ahead on a worker', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sqlite-event-store-read-ahead-'));
  return { store: SqliteEventStore.open(join(dir, 'events.sqlite'), { readAheadBehind: 0 }), cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
});

describe('SqliteEventStore', () => {
  let dir: string;
  const opened: SqliteEventStore[] = [];
  const openStore = (file = join(dir, 'events.sqlite')): SqliteEventStore => {
    const store = SqliteEventStore.open(file);
    opened.push(store);
    return store;
  };
  const event = (eventId: string = randomUUID(), data: unknown = {}): NewEvent => ({ eventId, type: 'Tested', data, metadata: {} });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sqlite-event-store-'));
  });

  afterEach(async () => {
    jest.useRealTimers();
    await Promise.all(opened.splice(0).map((store) => store.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  describe('group commit', () => {
    it('commits 200 concurrent appends in far fewer than 200 transactions, all durable', async () => {
      const store = openStore();
      const before = store.commitCount;

      const results = await Promise.all(Array.from({ length: 200 }, (_, i) => store.append(`stream-${i}`, [event()], { expectedRevision: NO_STREAM })));

      expect(store.commitCount - before).toBeLessThanOrEqual(5);
      expect(results.map((r) => r.position).sort((a, b) => a - b)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    });

    it('keeps positions gap-free when appends in the same group conflict or reuse an event id', async () => {
      const store = openStore();
      const reused = randomUUID();
      await store.append('existing', [event(reused)], { expectedRevision: NO_STREAM });
      const commitsBefore = store.commitCount;

      const outcomes = await Promise.allSettled([
        store.append('a', [event(), event()], { expectedRevision: NO_STREAM }),
        store.append('a', [event(), event(), event()], { expectedRevision: NO_STREAM }),
        store.append('b', [event(), event(reused)], { expectedRevision: NO_STREAM }),
        store.append('a', [event()], { expectedRevision: 1 }),
        store.append('c', [event()], { expectedRevision: 4 }),
        store.append('d', [event(), event()], { expectedRevision: NO_STREAM }),
      ]);

      expect(store.commitCount - commitsBefore).toBe(1);
      expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled', 'rejected', 'fulfilled']);
      expect((outcomes[1] as PromiseRejectedResult).reason).toEqual(new WrongExpectedRevision('a', NO_STREAM, 1));
      expect((outcomes[2] as PromiseRejectedResult).reason).toEqual(new DuplicateEventId(reused));
      expect((outcomes[4] as PromiseRejectedResult).reason).toEqual(new WrongExpectedRevision('c', 4, NO_STREAM));
      const log = await collect(store.readAll());
      expect(log.map((e) => e.position)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(log.map((e) => `${e.streamId}@${e.revision}`)).toEqual(['existing@0', 'a@0', 'a@1', 'a@2', 'd@0', 'd@1']);
    });

    it('commits one appendMany over 500 streams in one transaction, together with appends of the same turn', async () => {
      const store = openStore();
      const reused = randomUUID();
      await store.append('existing', [event(reused)], { expectedRevision: NO_STREAM });
      const commitsBefore = store.commitCount;

      const [outcomes, single] = await Promise.all([
        store.appendMany([
          ...Array.from({ length: 500 }, (_, i) => ({ streamId: `many-${i}`, events: [event()], expectedRevision: NO_STREAM })),
          { streamId: 'existing', events: [event()], expectedRevision: NO_STREAM },
          { streamId: 'reuses', events: [event(reused)], expectedRevision: NO_STREAM },
          { streamId: 'repeats', events: [event(reused), event(reused)], expectedRevision: NO_STREAM },
        ]),
        store.append('alone', [event()], { expectedRevision: NO_STREAM }),
      ]);

      expect(store.commitCount - commitsBefore).toBe(1);
      expect(outcomes.slice(0, 500).every((outcome) => outcome.ok)).toBe(true);
      expect(outcomes.slice(500)).toEqual([
        { ok: false, error: new WrongExpectedRevision('existing', NO_STREAM, 0) },
        { ok: false, error: new DuplicateEventId(reused) },
        { ok: false, error: new DuplicateEventId(reused) },
      ]);
      expect(single.position).toBe(502);
      const log = await collect(store.readAll());
      expect(log.map((e) => e.position)).toEqual(Array.from({ length: 502 }, (_, i) => i + 1));
    });

    it('refuses an event id repeated inside one append without touching the file', async () => {
      const store = openStore();
      const repeated = randomUUID();

      await expect(store.append('a', [event(repeated), event(repeated)], { expectedRevision: NO_STREAM })).rejects.toEqual(new DuplicateEventId(repeated));
      expect(await store.headPosition()).toBe(0);
    });

    it('refuses data that JSON cannot represent, failing only that append', async () => {
      const store = openStore();

      const [refused, accepted] = await Promise.allSettled([
        store.append('a', [event(undefined, { amount: 10n })], { expectedRevision: NO_STREAM }),
        store.append('b', [event()], { expectedRevision: NO_STREAM }),
      ]);

      expect(refused.status === 'rejected' && refused.reason).toBeInstanceOf(TypeError);
      expect(accepted).toEqual({ status: 'fulfilled', value: { revision: 0, position: 1 } });
    });

    it('never lets recordedAt go backwards, even when the wall clock does', async () => {
      const store = openStore();
      jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'clearImmediate', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'queueMicrotask', 'hrtime', 'performance'] });
      jest.setSystemTime(new Date('2030-06-01T12:00:00.000Z'));
      await store.append('clock', [event()], { expectedRevision: NO_STREAM });
      jest.setSystemTime(new Date('2020-01-01T00:00:00.000Z'));
      await store.append('clock', [event()], { expectedRevision: 0 });

      const recorded = (await collect(store.readStream('clock'))).map((e) => e.recordedAt);

      expect(recorded).toEqual(['2030-06-01T12:00:00.000Z', '2030-06-01T12:00:00.000Z']);
    });
  });

  describe('reads of one event-loop turn', () => {
    const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

    it('share one snapshot: another connection’s commit shows from the next turn on', async () => {
      const file = join(dir, 'events.sqlite');
      const store = openStore(file);
      await store.append('mine', [event()], { expectedRevision: NO_STREAM });
      await nextTurn();
      const other = new Database(file);
      try {
        expect(await store.headPosition()).toBe(1);
        other
          .prepare('INSERT INTO events (stream_id, revision, event_id, type, data, metadata, recorded_at) VALUES (?, 0, ?, ?, ?, ?, ?)')
          .run('theirs', randomUUID(), 'Tested', '{}', '{}', new Date().toISOString());

        expect(await store.headPosition()).toBe(1);
        expect((await store.readStreams(['theirs'])).get('theirs')).toEqual([]);
        await nextTurn();
        expect(await store.headPosition()).toBe(2);
        expect((await store.readStreams(['theirs'])).get('theirs')).toHaveLength(1);
      } finally {
        other.close();
      }
    });

    it('never hold back a commit: an append is durable once acknowledged, whatever was read in its turn', async () => {
      const file = join(dir, 'events.sqlite');
      const store = openStore(file);

      // The commit is queued before the read opens its snapshot, so it comes due first.
      const appending = store.append('s', [event()], { expectedRevision: NO_STREAM });
      const history = await store.readStreams(['s']);
      const appended = await appending;

      expect(history.get('s')).toEqual([]);
      const other = new Database(file, { readonly: true });
      try {
        expect(other.prepare('SELECT position FROM events').all()).toEqual([{ position: appended.position }]);
      } finally {
        other.close();
      }
    });
  });

  describe('lifecycle', () => {
    it('creates the parent directory and keeps everything across close and reopen', async () => {
      const file = join(dir, 'nested', 'deeper', 'events.sqlite');
      const first = openStore(file);
      await first.append('kept', [event(undefined, { emoji: '🔋', nul: 'a\u0000b' }), event()], { expectedRevision: NO_STREAM });
      await first.close();

      const second = openStore(file);
      await second.append('kept', [event()], { expectedRevision: 1 });
      const events = await collect(second.readStream('kept'));

      expect(events.map((e) => [e.revision, e.position])).toEqual([[0, 1], [1, 2], [2, 3]]);
      expect(events[0].data).toEqual({ emoji: '🔋', nul: 'a\u0000b' });
    });

    it('commits appends still waiting for their group before closing', async () => {
      const file = join(dir, 'events.sqlite');
      const store = openStore(file);
      const pending = store.append('late', [event()], { expectedRevision: NO_STREAM });

      await store.close();

      await expect(pending).resolves.toEqual({ revision: 0, position: 1 });
      const reopened = openStore(file);
      expect(await reopened.headPosition()).toBe(1);
    });

    it('refuses every call after close with StoreUnavailable', async () => {
      const store = openStore();
      await store.close();

      await expect(store.append('x', [event()], { expectedRevision: NO_STREAM })).rejects.toBeInstanceOf(StoreUnavailable);
      await expect(store.headPosition()).rejects.toBeInstanceOf(StoreUnavailable);
      await expect(store.ping()).rejects.toBeInstanceOf(StoreUnavailable);
      await expect(collect(store.readAll())).rejects.toBeInstanceOf(StoreUnavailable);
      await expect(collect(store.readStream('x'))).rejects.toBeInstanceOf(StoreUnavailable);
    });

    it('ends a waiting subscription when the store closes', async () => {
      const store = openStore();
      await store.append('s', [event()], { expectedRevision: NO_STREAM });
      const subscription = store.subscribeAll()[Symbol.asyncIterator]();
      expect((await subscription.next()).done).toBe(false);
      const waiting = subscription.next();

      await store.close();

      await expect(waiting).resolves.toEqual({ value: undefined, done: true });
    });

    it('ends a waiting subscription when the consumer returns, and keeps serving others', async () => {
      const store = openStore();
      const abandoned = store.subscribeAll()[Symbol.asyncIterator]();
      const waiting = abandoned.next();
      await abandoned.return?.();
      await expect(waiting).resolves.toEqual({ value: undefined, done: true });

      await store.append('s', [event()], { expectedRevision: NO_STREAM });
      const [received] = await collectFirst(store.subscribeAll(), 1);

      expect(received.streamId).toBe('s');
      expect(await abandoned.next()).toEqual({ value: undefined, done: true });
    });
  });

  describe('refusing files that are not ours or are damaged', () => {
    it('refuses a file of random bytes and leaves it byte for byte unchanged', () => {
      const file = join(dir, 'garbage.sqlite');
      const garbage = randomBytes(64 * 1024);
      writeFileSync(file, garbage);

      expect(() => SqliteEventStore.open(file)).toThrow(StoreCorrupted);
      expect(() => SqliteEventStore.open(file)).toThrow(file);
      expect(readFileSync(file).equals(garbage)).toBe(true);
      expect(existsSync(`${file}-wal`)).toBe(false);
    });

    it('refuses a short text file', () => {
      const file = join(dir, 'notes.txt');
      writeFileSync(file, 'not a database\n');

      expect(() => SqliteEventStore.open(file)).toThrow(StoreCorrupted);
      expect(readFileSync(file, 'utf8')).toBe('not a database\n');
    });

    it('refuses another application’s SQLite database and leaves it unchanged', () => {
      const file = join(dir, 'foreign.sqlite');
      const foreign = new Database(file);
      foreign.exec("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO customers (name) VALUES ('Ada')");
      foreign.close();
      const before = readFileSync(file);

      expect(() => SqliteEventStore.open(file)).toThrow(/another application/);
      expect(readFileSync(file).equals(before)).toBe(true);
    });

    it('refuses a file stamped with a newer schema version', async () => {
      const file = join(dir, 'events.sqlite');
      await openStore(file).close();
      const raw = new Database(file);
      raw.pragma('user_version = 99');
      raw.close();

      expect(() => SqliteEventStore.open(file)).toThrow(/schema version 99/);
    });

    it('refuses a truncated event database and leaves it unchanged', async () => {
      const file = join(dir, 'events.sqlite');
      await fillStore(openStore(file), 3_000);
      const pageAligned = readFileSync(file);
      truncateSync(file, Math.floor(pageAligned.length / 2 / 4096) * 4096);
      const truncated = readFileSync(file);

      expect(() => SqliteEventStore.open(file)).toThrow(StoreCorrupted);
      expect(readFileSync(file).equals(truncated)).toBe(true);

      truncateSync(file, truncated.length - 1000);
      const ragged = readFileSync(file);
      expect(() => SqliteEventStore.open(file)).toThrow(/truncated or damaged/);
      expect(readFileSync(file).equals(ragged)).toBe(true);
    });

    it('refuses an event database whose table root page was overwritten, and leaves it unchanged', async () => {
      const file = join(dir, 'events.sqlite');
      await fillStore(openStore(file), 3_000);
      const raw = new Database(file, { readonly: true });
      const { rootpage } = raw.prepare("SELECT rootpage FROM sqlite_schema WHERE name = 'events'").get() as { rootpage: number };
      raw.close();
      const bytes = readFileSync(file);
      randomBytes(4096).copy(bytes, (rootpage - 1) * 4096);
      writeFileSync(file, bytes);

      expect(() => SqliteEventStore.open(file)).toThrow(StoreCorrupted);
      expect(readFileSync(file).equals(bytes)).toBe(true);
    });

    it('reports a path that is a directory as unavailable', () => {
      expect(() => SqliteEventStore.open(dir)).toThrow(StoreUnavailable);
    });
  });

  it(
    'opens a log of a million events in well under a second and serves its tail',
    async () => {
      const file = join(dir, 'large.sqlite');
      await openStore(file).close();
      const raw = new Database(file);
      raw.pragma('synchronous = OFF');
      raw.pragma('cache_size = -262144');
      // Bulk-loading through SQL, with the unique indexes rebuilt afterwards, takes seconds instead of a minute.
      raw.exec(`
        DROP INDEX events_stream_revision;
        DROP INDEX events_event_id;
        WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 999999)
        INSERT INTO events (stream_id, revision, event_id, type, data, metadata, recorded_at)
        SELECT 'bulk-' || (i % 1000), i / 1000, printf('id-%07d', i), 'Bulk', '{"i":' || i || '}', '{}', '2024-01-01T00:00:00.000Z' FROM n;
        CREATE UNIQUE INDEX events_stream_revision ON events (stream_id, revision);
        CREATE UNIQUE INDEX events_event_id ON events (event_id);
      `);
      raw.close();

      const started = performance.now();
      const store = openStore(file);
      const openedInMs = performance.now() - started;

      expect(openedInMs).toBeLessThan(500);
      expect(await store.headPosition()).toBe(1_000_000);
      const [next] = await Promise.all([
        collectFirst(store.subscribeAll({ fromPosition: 999_999 }), 2),
        store.append('bulk-0', [event()], { expectedRevision: 999 }),
      ]);
      expect(next.map((e) => e.position)).toEqual([1_000_000, 1_000_001]);
      const tail = await collect(store.readStream('bulk-7', { direction: 'backwards', limit: 2 }));
      expect(tail.map((e) => e.revision)).toEqual([999, 998]);
    },
    120_000,
  );
});

async function fillStore(store: SqliteEventStore, count: number): Promise<void> {
  const events = Array.from({ length: count }, (_, i) => ({ eventId: randomUUID(), type: 'Filler', data: { i, text: 'x'.repeat(200) }, metadata: {} }));
  await store.append('filler', events, { expectedRevision: NO_STREAM });
  await store.close();
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

async function collectFirst(iterable: AsyncIterable<StoredEvent>, count: number): Promise<StoredEvent[]> {
  const items: StoredEvent[] = [];
  for await (const item of iterable) {
    items.push(item);
    if (items.length === count) break;
  }
  return items;
}
