import { randomUUID } from 'node:crypto';
import { ANY, ReadAllOptions, StoredEvent } from '@bsc/event-store';
import { MemoryEventStore } from '@bsc/event-store/adapters/memory/memory-event-store';
import { registerCompany } from '../testing/recorded-events';
import { CAUGHT_UP_EVENTS, CAUGHT_UP_MS, isCaughtUp, projectionLag, unappliedAfter } from './projection-lag';
import { ProjectionRunner } from './projection-runner';

describe('projection lag', () => {
  let store: MemoryEventStore;
  let runner: ProjectionRunner;

  const register = (count: number) =>
    store.appendMany(
      Array.from({ length: count }, () => {
        const companyId = `c-${randomUUID()}`;
        const event = registerCompany(companyId);
        return {
          streamId: `company-${companyId}`,
          events: [{ eventId: randomUUID(), type: event.type, data: event.data, metadata: { recordedAt: new Date().toISOString() } }],
          expectedRevision: ANY,
        };
      }),
    );

  beforeEach(async () => {
    store = new MemoryEventStore();
    runner = new ProjectionRunner({ store });
    await runner.start();
  });

  afterEach(async () => {
    await runner.stop();
    await store.close();
  });

  const lagNow = async (now = Date.now()) => {
    const head = await store.headPosition();
    return projectionLag(head, await unappliedAfter(store, runner.status().position, head), now);
  };

  it('is nothing when every event is applied', async () => {
    await register(3);
    expect(await runner.waitForPosition(3, 1000)).toBe(true);

    expect(await lagNow()).toEqual({ headPosition: 3, events: 0, ms: 0 });
  });

  it('counts what a hold keeps back in events and in the age of the oldest event, caught up while either is in bound', async () => {
    await register(2);
    expect(await runner.waitForPosition(2, 1000)).toBe(true);
    const release = await runner.hold();
    const recorded = Date.now();
    await register(CAUGHT_UP_EVENTS + 500);

    const now = Date.now();
    const lag = await lagNow(now);
    expect(lag).toMatchObject({ headPosition: CAUGHT_UP_EVENTS + 502, events: CAUGHT_UP_EVENTS + 1 });
    expect(lag.ms).toBeGreaterThanOrEqual(0);
    expect(lag.ms).toBeLessThanOrEqual(now - recorded + 1);
    expect(isCaughtUp(lag)).toBe(true);

    // The same events, held back for longer than the time bound.
    const later = await lagNow(now + CAUGHT_UP_MS + 1000);
    expect(later.ms).toBeGreaterThan(CAUGHT_UP_MS);
    expect(isCaughtUp(later)).toBe(false);
    expect(isCaughtUp({ ...later, events: CAUGHT_UP_EVENTS })).toBe(true);

    release();
    expect(await runner.waitForPosition(CAUGHT_UP_EVENTS + 502, 2000)).toBe(true);
    expect(await lagNow(now + CAUGHT_UP_MS + 1000)).toEqual({ headPosition: CAUGHT_UP_EVENTS + 502, events: 0, ms: 0 });
  });

  it('knows the age of what is not applied without a hold too, and is caught up far behind in events while it is recent', () => {
    const now = Date.parse('2026-12-07T12:00:00.000Z');
    const recent = projectionLag(5000, { events: CAUGHT_UP_EVENTS + 1, oldestRecordedMs: now - 1200 }, now);
    expect(recent).toEqual({ headPosition: 5000, events: CAUGHT_UP_EVENTS + 1, ms: 1200 });
    expect(isCaughtUp(recent)).toBe(true);

    // A start from an old checkpoint: far behind in both.
    const old = projectionLag(5000, { events: CAUGHT_UP_EVENTS + 1, oldestRecordedMs: now - 3_600_000 }, now);
    expect(old.ms).toBe(3_600_000);
    expect(isCaughtUp(old)).toBe(false);
    expect(isCaughtUp({ ...old, events: CAUGHT_UP_EVENTS })).toBe(true);

    // A record time that does not parse: only events count.
    const unknown = projectionLag(5000, { events: CAUGHT_UP_EVENTS + 1 }, now);
    expect(unknown).toEqual({ headPosition: 5000, events: CAUGHT_UP_EVENTS + 1 });
    expect(isCaughtUp(unknown)).toBe(false);
  });

  it('measures a catch-up without a hold from the oldest event not yet applied', async () => {
    await register(1);
    expect(await runner.waitForPosition(1, 1000)).toBe(true);
    await runner.stop();
    const before = Date.now();
    await register(4);
    const now = Date.now() + 2000;
    const lag = await lagNow(now);
    expect(lag).toMatchObject({ headPosition: 5, events: 4 });
    expect(lag.ms).toBeGreaterThanOrEqual(2000);
    expect(lag.ms).toBeLessThanOrEqual(now - before + 1);
  });
});

describe('unappliedAfter', () => {
  /** A log whose positions are byte offsets, as on EventStoreDB, and whose reads refuse a start that is no event's position. */
  const gappedLog = (count: number) => {
    const events = Array.from({ length: count }, (_, i) => ({ position: 1235 + i * 757, recordedAt: new Date(Date.UTC(2026, 11, 7, 12, 0, i)).toISOString() }) as StoredEvent);
    const starts: (number | undefined)[] = [];
    const readAll = async function* (options: ReadAllOptions = {}): AsyncIterable<StoredEvent> {
      const from = options.fromPosition;
      starts.push(from);
      if (from !== undefined && !events.some((event) => event.position === from)) throw new Error(`no event at ${from}`);
      let read = 0;
      for (const event of events) {
        if (from !== undefined && event.position < from) continue;
        if (read++ === (options.limit ?? Infinity)) return;
        yield event;
      }
    };
    return { events, starts, store: { readAll } };
  };

  it('counts events, not positions, reading from the applied event itself', async () => {
    const { events, starts, store } = gappedLog(5);
    const head = events[4].position;

    expect(await unappliedAfter(store, events[1].position, head)).toEqual({ events: 3, oldestRecordedMs: Date.parse(events[2].recordedAt) });
    expect(await unappliedAfter(store, 0, head)).toEqual({ events: 5, oldestRecordedMs: Date.parse(events[0].recordedAt) });
    expect(await unappliedAfter(store, head, head)).toEqual({ events: 0 });
    expect(starts).toEqual([events[1].position, undefined]);
    // A thousand positions here are about one event: by positions this lag would read as ~2 300.
    expect(head - events[1].position).toBeGreaterThan(CAUGHT_UP_EVENTS);
  });

  it('stops counting past the bound', async () => {
    const { events, store } = gappedLog(CAUGHT_UP_EVENTS + 50);

    expect((await unappliedAfter(store, events[0].position, events.at(-1)!.position)).events).toBe(CAUGHT_UP_EVENTS + 1);
    expect((await unappliedAfter(store, events[48].position, events.at(-1)!.position)).events).toBe(CAUGHT_UP_EVENTS + 1);
    expect((await unappliedAfter(store, events[49].position, events.at(-1)!.position)).events).toBe(CAUGHT_UP_EVENTS);
  });

  it('takes the write path\'s record time (metadata.recordedAt), as the apply-lag metric does, before the store\'s', async () => {
    const { events, store } = gappedLog(2);
    events[1].metadata = { recordedAt: '2026-12-07T11:00:00.000Z' };
    expect(await unappliedAfter(store, events[0].position, events[1].position)).toEqual({ events: 1, oldestRecordedMs: Date.parse('2026-12-07T11:00:00.000Z') });
  });

  it('gives no record time that does not parse', async () => {
    const { events, store } = gappedLog(2);
    events[1].recordedAt = 'not a time';
    expect(await unappliedAfter(store, events[0].position, events[1].position)).toEqual({ events: 1 });
  });
});
