import { randomUUID } from 'node:crypto';
import { ANY, ReadAllOptions, StoredEvent } from '@bsc/event-store';
import { MemoryEventStore } from '@bsc/event-store/adapters/memory/memory-event-store';
import { registerCompany } from '../testing/recorded-events';
import { CAUGHT_UP_EVENTS, CAUGHT_UP_MS, eventsAfter, isCaughtUp, projectionLag } from './projection-lag';
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
    return projectionLag(runner.status(), head, await eventsAfter(store, runner.status().position, head), now);
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
    // The runner has read the new events and waits for the holder to let go.
    for (let i = 0; i < 100 && runner.status().heldBackSinceMs === undefined; i++) await new Promise((resolve) => setTimeout(resolve, 5));

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
    expect(runner.status().heldBackSinceMs).toBeUndefined();
    expect(await lagNow(now + CAUGHT_UP_MS + 1000)).toEqual({ headPosition: CAUGHT_UP_EVENTS + 502, events: 0, ms: 0 });
  });

  it('is not caught up far behind without a hold: the time is known only for what a hold keeps back', () => {
    const lag = projectionLag({ running: true, position: 10 }, 5000, CAUGHT_UP_EVENTS + 1);

    expect(lag).toEqual({ headPosition: 5000, events: CAUGHT_UP_EVENTS + 1 });
    expect(isCaughtUp(lag)).toBe(false);
    expect(isCaughtUp(projectionLag({ running: true, position: 10 }, 5000, CAUGHT_UP_EVENTS))).toBe(true);
  });
});

describe('eventsAfter', () => {
  /** A log whose positions are byte offsets, as on EventStoreDB, and whose reads refuse a start that is no event's position. */
  const gappedLog = (count: number) => {
    const events = Array.from({ length: count }, (_, i) => ({ position: 1235 + i * 757 }) as StoredEvent);
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

    expect(await eventsAfter(store, events[1].position, head)).toBe(3);
    expect(await eventsAfter(store, 0, head)).toBe(5);
    expect(await eventsAfter(store, head, head)).toBe(0);
    expect(starts).toEqual([events[1].position, undefined]);
    // A thousand positions here are about one event: by positions this lag would read as ~2 300.
    expect(head - events[1].position).toBeGreaterThan(CAUGHT_UP_EVENTS);
  });

  it('stops counting past the bound', async () => {
    const { events, store } = gappedLog(CAUGHT_UP_EVENTS + 50);

    expect(await eventsAfter(store, events[0].position, events.at(-1)!.position)).toBe(CAUGHT_UP_EVENTS + 1);
    expect(await eventsAfter(store, events[48].position, events.at(-1)!.position)).toBe(CAUGHT_UP_EVENTS + 1);
    expect(await eventsAfter(store, events[49].position, events.at(-1)!.position)).toBe(CAUGHT_UP_EVENTS);
  });
});
