import { randomUUID } from 'node:crypto';
import { ANY } from '@bsc/event-store';
import { MemoryEventStore } from '@bsc/event-store/adapters/memory/memory-event-store';
import { registerCompany } from '../testing/recorded-events';
import { CAUGHT_UP_MS, CAUGHT_UP_POSITIONS, isCaughtUp, projectionLag } from './projection-lag';
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

  const lagNow = async (now = Date.now()) => projectionLag(runner.status(), await store.headPosition(), now);

  it('is nothing when every event is applied', async () => {
    await register(3);
    expect(await runner.waitForPosition(3, 1000)).toBe(true);

    expect(await lagNow()).toEqual({ headPosition: 3, positions: 0, ms: 0 });
  });

  it('counts what a hold keeps back in positions and in the age of the oldest event, caught up while either is in bound', async () => {
    await register(2);
    expect(await runner.waitForPosition(2, 1000)).toBe(true);
    const release = await runner.hold();
    const recorded = Date.now();
    await register(CAUGHT_UP_POSITIONS + 500);
    // The runner has read the new events and waits for the holder to let go.
    for (let i = 0; i < 100 && runner.status().heldBackSinceMs === undefined; i++) await new Promise((resolve) => setTimeout(resolve, 5));

    const now = Date.now();
    const lag = await lagNow(now);
    expect(lag).toMatchObject({ headPosition: CAUGHT_UP_POSITIONS + 502, positions: CAUGHT_UP_POSITIONS + 500 });
    expect(lag.ms).toBeGreaterThanOrEqual(0);
    expect(lag.ms).toBeLessThanOrEqual(now - recorded + 1);
    expect(isCaughtUp(lag)).toBe(true);

    // The same events, held back for longer than the time bound.
    const later = await lagNow(now + CAUGHT_UP_MS + 1000);
    expect(later.ms).toBeGreaterThan(CAUGHT_UP_MS);
    expect(isCaughtUp(later)).toBe(false);
    expect(isCaughtUp({ ...later, positions: CAUGHT_UP_POSITIONS })).toBe(true);

    release();
    expect(await runner.waitForPosition(CAUGHT_UP_POSITIONS + 502, 2000)).toBe(true);
    expect(runner.status().heldBackSinceMs).toBeUndefined();
    expect(await lagNow(now + CAUGHT_UP_MS + 1000)).toEqual({ headPosition: CAUGHT_UP_POSITIONS + 502, positions: 0, ms: 0 });
  });

  it('is not caught up far behind without a hold: the time is known only for what a hold keeps back', () => {
    const lag = projectionLag({ running: true, position: 10 }, 10 + CAUGHT_UP_POSITIONS + 1);

    expect(lag).toEqual({ headPosition: 10 + CAUGHT_UP_POSITIONS + 1, positions: CAUGHT_UP_POSITIONS + 1 });
    expect(isCaughtUp(lag)).toBe(false);
    expect(isCaughtUp(projectionLag({ running: true, position: 10 }, 10 + CAUGHT_UP_POSITIONS))).toBe(true);
  });
});
