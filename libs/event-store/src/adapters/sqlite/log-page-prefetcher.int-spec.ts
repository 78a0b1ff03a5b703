import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NO_STREAM } from '../../expected-revision';
import { NewEvent, StoredEvent } from '../../stored-event';
import { LogPagePrefetcher } from './log-page-prefetcher';
import { SqliteEventStore } from './sqlite-event-store';

/** Awkward JSON on purpose: what the worker passes through verbatim must read back exactly. */
const awkwardData = (i: number): unknown =>
  [
    { text: 'quote " backslash \\ slash / tab \t newline \n', n: -i, f: i / 7, big: 2 ** 53 - i, yes: true, no: false, none: null },
    { unicode: 'Zürich 北京 🔋 e\u0301 \u2028\u2029 \u0000\u001f', nested: { list: [1, [2, [3, { deep: 'x' }]]], empty: {}, none: [] } },
    null,
    [i, 'array at the top'],
    'a string',
    i,
  ][i % 6];

const awkwardMetadata = (i: number): Record<string, unknown> => {
  const base = { schemaVersion: 1, source: { publisher: `Publisher ${i}`, title: 'Ünïcödé "quoted"' } };
  switch (i % 4) {
    case 0:
      return { ...base, recordedAt: new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString() };
    case 1:
      return base;
    case 2:
      return { ...base, recordedAt: null };
    default:
      return { recordedAt: 'odd \\ "time"' };
  }
};

const event = (i: number): NewEvent => ({ eventId: randomUUID(), type: i % 5 === 0 ? 'Other' : 'Tested', data: awkwardData(i), metadata: awkwardMetadata(i) });

/** Every event of a subscription up to `head`, then ends it. */
const readUpTo = async (pages: AsyncIterable<readonly StoredEvent[]>, head: number): Promise<StoredEvent[]> => {
  const events: StoredEvent[] = [];
  for await (const page of pages) {
    events.push(...page);
    if (page[page.length - 1].position >= head) break;
  }
  return events;
};

describe('SqliteEventStore subscriptions reading ahead on a worker', () => {
  let dir: string;
  let file: string;
  const opened: SqliteEventStore[] = [];
  const open = (readAheadBehind: number): SqliteEventStore => {
    const store = SqliteEventStore.open(file, { readAheadBehind });
    opened.push(store);
    return store;
  };
  const EVENTS = 5_000;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'log-page-prefetcher-'));
    file = join(dir, 'events.sqlite');
    const store = SqliteEventStore.open(file);
    // Several streams, more than two log pages, in a few commits.
    for (let from = 0; from < EVENTS; from += 1_000) {
      await store.appendMany(
        Array.from({ length: 4 }, (_, s) => ({
          streamId: `stream-${from}-${s}`,
          events: Array.from({ length: 250 }, (_, i) => event(from + s * 250 + i)),
          expectedRevision: NO_STREAM,
        })),
      );
    }
    await store.close();
  });

  afterEach(async () => {
    jest.restoreAllMocks();
    await Promise.all(opened.splice(0).map((store) => store.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    ['the whole metadata', undefined],
    ['the record time only', ['recordedAt']],
    ['two keys', ['recordedAt', 'source']],
    ['no metadata', []],
  ])('hands over exactly the events an ordinary read gives, with %s', async (_, metadataKeys) => {
    const readAhead = jest.spyOn(LogPagePrefetcher.prototype, 'next');
    const ordinary = await readUpTo(open(Number.POSITIVE_INFINITY).subscribeAllPages({ metadataKeys }), EVENTS);
    expect(readAhead).not.toHaveBeenCalled();

    const ahead = await readUpTo(open(0).subscribeAllPages({ metadataKeys }), EVENTS);

    expect(readAhead).toHaveBeenCalled();
    expect(ahead).toHaveLength(EVENTS);
    expect(ahead).toEqual(ordinary);
    expect(ahead.map((e) => e.position)).toEqual(Array.from({ length: EVENTS }, (_, i) => i + 1));
  });

  it('goes on with live events once it has read ahead to the head', async () => {
    const store = open(0);
    const subscription = store.subscribeAll({ fromPosition: EVENTS - 10 })[Symbol.asyncIterator]();
    const seen: StoredEvent[] = [];
    while (seen.at(-1)?.position !== EVENTS) seen.push((await subscription.next()).value as StoredEvent);

    const waiting = subscription.next();
    await store.append('live', [event(1)], { expectedRevision: NO_STREAM });

    expect(seen.map((e) => e.position)).toEqual(Array.from({ length: 10 }, (_, i) => EVENTS - 9 + i));
    expect(((await waiting).value as StoredEvent).streamId).toBe('live');
    await subscription.return?.();
  });

  it('reports a damaged row exactly as an ordinary read does, after the same events', async () => {
    const raw = new Database(file);
    raw.prepare('UPDATE events SET data = ? WHERE position = ?').run('{"not": json', 3_000);
    raw.close();
    const outcome = async (readAheadBehind: number) => {
      const events: StoredEvent[] = [];
      try {
        for await (const page of open(readAheadBehind).subscribeAllPages({ metadataKeys: ['recordedAt'] })) events.push(...page);
      } catch (error) {
        return { events, error };
      }
      throw new Error('the damaged row went unnoticed');
    };

    const ordinary = await outcome(Number.POSITIVE_INFINITY);
    const ahead = await outcome(0);

    expect(ahead.error).toBeInstanceOf(Error);
    expect(ahead.error).toEqual(ordinary.error);
    expect((ahead.error as Error).constructor).toBe((ordinary.error as Error).constructor);
    expect(ahead.events).toEqual(ordinary.events);
    expect(ahead.events.length).toBeLessThan(3_000);
  });

  it('stops its worker when the consumer leaves halfway', async () => {
    const close = jest.spyOn(LogPagePrefetcher.prototype, 'close');
    const pages = open(0).subscribeAllPages()[Symbol.asyncIterator]();
    expect(((await pages.next()).value as StoredEvent[]).length).toBeGreaterThan(0);

    await pages.return?.();

    expect(close).toHaveBeenCalled();
    expect(await pages.next()).toEqual({ value: undefined, done: true });
  });
});
