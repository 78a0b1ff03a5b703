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

  it('is nothing when every event is applied', async () => {
    await register(3);
    expect(await runner.waitForPosition(3, 1000)).toBe(true);

    expect(await projectionLag(store, runner.state.position)).toEqual({ headPosition: 3, positions: 0, ms: 0 });
  });

  it('counts what a hold keeps back in positions and in the age of the oldest event, caught up while either is in bound', async () => {
    await register(2);
    expect(await runner.waitForPosition(2, 1000)).toBe(true);
    const release = await runner.hold();
    const stored = Date.now();
    await register(CAUGHT_UP_POSITIONS + 500);

    const now = Date.now();
    const lag = await projectionLag(store, runner.state.position, now);
    expect(lag.positions).toBe(CAUGHT_UP_POSITIONS + 500);
    expect(lag.headPosition).toBe(CAUGHT_UP_POSITIONS + 502);
    expect(lag.ms).toBeGreaterThanOrEqual(0);
    expect(lag.ms).toBeLessThanOrEqual(now - stored + 1);
    expect(isCaughtUp(lag)).toBe(true);

    // The same events, left unapplied for longer than the time bound.
    const later = await projectionLag(store, runner.state.position, now + CAUGHT_UP_MS + 1000);
    expect(later.ms).toBeGreaterThan(CAUGHT_UP_MS);
    expect(isCaughtUp(later)).toBe(false);
    expect(isCaughtUp({ ...later, positions: CAUGHT_UP_POSITIONS })).toBe(true);

    release();
    expect(await runner.waitForPosition(CAUGHT_UP_POSITIONS + 502, 2000)).toBe(true);
    expect(await projectionLag(store, runner.state.position, now + CAUGHT_UP_MS + 1000)).toMatchObject({ positions: 0, ms: 0 });
  });
});
