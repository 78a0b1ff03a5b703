import { StoredEvent } from '@bsc/event-store';
import { companyCapacityOf, effectiveTariff, financingRounds } from '@bsc/projections';
import {
  EventLog,
  announce,
  at,
  changeRate,
  commission,
  financingRound,
  imposeTariff,
  registerCompany,
  registerStandard,
} from '@bsc/projections/testing/recorded-events';
import { READ_MODEL_NAMES, ReplayCancelled, ReplayQueue, ReplayQueueFull, ReplayRequest, ReplayRequestError, replayReadModel, runReadModelQuery } from './replay';

const asyncOf = async function* (events: readonly StoredEvent[]): AsyncIterable<StoredEvent> {
  yield* events;
};

/** A log whose record times are not in position order across streams, as a backfill leaves them. */
const history = (): EventLog => {
  const log = new EventLog();
  log.record(registerCompany('xinjie', 'CN', 'Xinjie Energy'), at('2025-01-02'));
  const announced = log.record(announce({ plantId: 'xinjie-2gwh', companyId: 'xinjie', plannedCapacityGwh: 2, announcedOn: '2025-01-01' }), at('2025-01-05'));
  log.record(commission('xinjie-2gwh', '2025-12-28', 2), at('2026-01-02'));
  log.correct(announced, { plannedCapacityGwh: 3 }, at('2026-02-01'));
  log.record(financingRound({ companyId: 'xinjie', roundId: 'xinjie-b', closedOn: '2025-06-01' }), at('2025-07-01'));
  log.record(imposeTariff({ measureId: 'us-cn-2025', ratePercent: 25 }), at('2025-03-01'));
  log.record(changeRate('us-cn-2025', '2026-01-01', 50), at('2025-12-01'));
  log.record(registerStandard({ standardId: 'gb-ssb', on: '2025-05-01' }), at('2025-05-02'));
  return log;
};

const request = (readModel: ReplayRequest['readModel'], params: Record<string, unknown>, knownAt = at('2026-03-01')): ReplayRequest => ({
  readModel,
  params,
  asOf: '2026-02-28',
  knownAt,
});

describe('replayReadModel', () => {
  it('answers as the live projection does for every read model', async () => {
    const log = history();
    const live = log.state();
    const cases: ReplayRequest[] = [
      request('company-capacity', {}),
      request('company', { companyId: 'xinjie' }),
      request('company-capacity-timeline', { companyId: 'xinjie', interval: 'year' }),
      request('overseas-expansion', {}),
      request('technology-routes', { family: 'liquid-lithium' }),
      request('technology-route-timeline', { routeId: 'lfp' }),
      request('effective-tariff', { importer: 'US', origin: 'CN', product: 'ev-battery' }),
      request('standards', {}),
      request('standard', { standardId: 'gb-ssb' }),
      request('financing-rounds', { companyId: 'xinjie' }),
    ];
    expect(cases.map((c) => c.readModel)).toEqual([...READ_MODEL_NAMES]);

    for (const replayRequest of cases) {
      const replayed = await replayReadModel(asyncOf(log.events), replayRequest);
      expect(replayed.result).toEqual(runReadModelQuery(live, replayRequest));
      expect(replayed.result).not.toBeNull();
    }
  });

  it('replays only what was recorded by knownAt, whatever the log order, and gives the older answer', async () => {
    const log = history();
    const knownAt = at('2025-12-15');

    const replayed = await replayReadModel(asyncOf(log.events), request('company', { companyId: 'xinjie' }, knownAt));

    expect(replayed.eventsReplayed).toBe(6);
    expect(replayed.position).toBe(8);
    expect(replayed.result).toEqual(companyCapacityOf(log.state(), 'xinjie', { asOf: '2026-02-28', knownAt }));
    expect(replayed.result).toMatchObject({ operationalGwh: 0, announcedGwh: 2 });
    const tariff = await replayReadModel(asyncOf(log.events), request('effective-tariff', { importer: 'US', origin: 'CN', product: 'ev-battery' }, knownAt));
    expect(tariff.result).toEqual(effectiveTariff(log.state(), { asOf: '2026-02-28', knownAt }, { importer: 'US', origin: 'CN', product: 'ev-battery' }));
    expect(tariff.result).toMatchObject({ ratePercent: 50 });
  });

  it('applies a correction only once it is known', async () => {
    const log = history();

    const before = await replayReadModel(asyncOf(log.events), request('company', { companyId: 'xinjie' }, at('2026-01-15')));
    const after = await replayReadModel(asyncOf(log.events), request('company', { companyId: 'xinjie' }));

    expect(before.result).toMatchObject({ plants: [expect.objectContaining({ plannedGwh: 2 })] });
    expect(after.result).toMatchObject({ plants: [expect.objectContaining({ plannedGwh: 3 })] });
  });

  it('answers null for an id not known at knownAt, as the endpoint answers 404', async () => {
    const replayed = await replayReadModel(asyncOf(history().events), request('company', { companyId: 'xinjie' }, at('2025-01-01')));

    expect(replayed).toMatchObject({ result: null, eventsReplayed: 0, position: 8 });
    expect(replayed.tookMs).toBeGreaterThanOrEqual(0);
  });

  it('yields to the event loop between chunks', async () => {
    const log = history();
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 0);
    const slow = async function* (): AsyncIterable<StoredEvent> {
      for (const event of log.events) {
        const spin = Date.now() + 3;
        while (Date.now() < spin);
        yield event;
      }
    };
    try {
      await replayReadModel(slow(), request('financing-rounds', {}), { chunkSize: 1 });
    } finally {
      clearInterval(ticker);
    }
    expect(ticks).toBeGreaterThan(0);
    expect((await replayReadModel(asyncOf(log.events), request('financing-rounds', {}), { chunkSize: 1 })).result).toEqual(
      financingRounds(log.state(), { asOf: '2026-02-28', knownAt: at('2026-03-01') }),
    );
  });

  it('computes a list, and the route index, in slices with the event loop running between them', async () => {
    const log = history();
    for (let i = 0; i < 200; i++) log.record(registerCompany(`company-${i}`, 'CN', `Company ${i}`), at('2025-02-01'));
    const ticksDuring = async (replayRequest: ReplayRequest): Promise<number> => {
      let ticks = 0;
      let running = true;
      const tick = (): void => {
        ticks++;
        if (running) setImmediate(tick);
      };
      setImmediate(tick);
      // No yield while applying events: every turn counted is one the answer (or the index) left free.
      await replayReadModel(asyncOf(log.events), replayRequest, { chunkSize: Number.MAX_SAFE_INTEGER, sliceMs: 0 });
      running = false;
      return ticks;
    };

    expect(await ticksDuring(request('company-capacity', {}))).toBeGreaterThan(100);
    expect(await ticksDuring(request('technology-route-timeline', { routeId: 'lfp' }))).toBeGreaterThan(0);
    expect(await ticksDuring(request('company', { companyId: 'xinjie' }))).toBe(0);
  });

  it('refuses a bad request before reading the log', async () => {
    let read = false;
    const watched = async function* (): AsyncIterable<StoredEvent> {
      read = true;
      yield* [];
    };

    await expect(replayReadModel(watched(), request('company', {}))).rejects.toEqual(new ReplayRequestError('params.companyId', 'is required for read model company'));
    await expect(replayReadModel(watched(), { ...request('standards', {}), readModel: 'plants' as never })).rejects.toBeInstanceOf(ReplayRequestError);
    await expect(replayReadModel(watched(), request('technology-route-timeline', { routeId: 'lfp', kind: 'party' }))).rejects.toBeInstanceOf(ReplayRequestError);
    await expect(replayReadModel(watched(), { ...request('standards', {}), knownAt: 'yesterday' })).rejects.toBeInstanceOf(ReplayRequestError);
    expect(read).toBe(false);
  });

  it('runs queued replays one after another, in order, and refuses a bad one without waiting', async () => {
    const log = history();
    const queue = new ReplayQueue();
    const steps: string[] = [];
    let releaseFirst: () => void = () => undefined;
    const firstMayFinish = new Promise<void>((resolve) => (releaseFirst = resolve));
    const reading = (name: string, gate?: Promise<void>) => () =>
      (async function* (): AsyncIterable<StoredEvent> {
        steps.push(`${name} reads`);
        yield* log.events;
        await gate;
        steps.push(`${name} read`);
      })();

    const first = queue.replay(reading('first', firstMayFinish), request('company', { companyId: 'xinjie' }));
    const second = queue.replay(reading('second'), request('standards', {}));
    await expect(queue.replay(reading('bad'), request('company', {}))).rejects.toBeInstanceOf(ReplayRequestError);
    await new Promise((resolve) => setImmediate(resolve));
    expect(steps).toEqual(['first reads']);

    releaseFirst();
    expect((await first).result).toMatchObject({ companyId: 'xinjie' });
    expect((await second).eventsReplayed).toBe(8);
    expect(steps).toEqual(['first reads', 'first read', 'second reads', 'second read']);
  });

  /** A log read that waits at its end until released, and records whether it was read and closed. */
  const heldRead = () => {
    const read = { started: false, closed: false, release: () => undefined as void };
    const released = new Promise<void>((resolve) => (read.release = resolve));
    const events = () =>
      (async function* (): AsyncIterable<StoredEvent> {
        read.started = true;
        try {
          yield* history().events;
          await released;
        } finally {
          read.closed = true;
        }
      })();
    return { read, events };
  };

  it('refuses a replay beyond maxWaiting at once, and takes one again once a place is free', async () => {
    const queue = new ReplayQueue(1);
    const running = heldRead();
    const first = queue.replay(running.events, request('standards', {}));
    const second = queue.replay(() => asyncOf(history().events), request('standards', {}));

    await expect(queue.replay(() => asyncOf(history().events), request('standards', {}))).rejects.toEqual(new ReplayQueueFull(1));

    running.read.release();
    await first;
    const third = queue.replay(() => asyncOf(history().events), request('standards', {}));
    expect((await second).eventsReplayed).toBe(8);
    expect((await third).eventsReplayed).toBe(8);
  });

  it('lets a replay cancelled while waiting leave the line at once, without reading the log', async () => {
    const queue = new ReplayQueue(1);
    const running = heldRead();
    const first = queue.replay(running.events, request('standards', {}));
    const cancelled = heldRead();
    const abort = new AbortController();
    const second = queue.replay(cancelled.events, request('standards', {}), { signal: abort.signal });

    abort.abort();
    const third = queue.replay(() => asyncOf(history().events), request('standards', {}));
    running.read.release();

    await expect(second).rejects.toBeInstanceOf(ReplayCancelled);
    expect(cancelled.read.started).toBe(false);
    expect((await first).eventsReplayed).toBe(8);
    expect((await third).eventsReplayed).toBe(8);
  });

  it('stops a running replay at its next chunk once cancelled, closes its read of the log, and runs the next', async () => {
    const queue = new ReplayQueue();
    const running = heldRead();
    const abort = new AbortController();
    const first = queue.replay(running.events, request('standards', {}), { signal: abort.signal, chunkSize: 1 });
    const second = queue.replay(() => asyncOf(history().events), request('standards', {}));
    while (!running.read.started) await new Promise((resolve) => setImmediate(resolve));

    abort.abort();

    await expect(first).rejects.toBeInstanceOf(ReplayCancelled);
    expect(running.read.closed).toBe(true);
    expect((await second).eventsReplayed).toBe(8);
  });

  it('goes on with the next replay after one fails', async () => {
    const queue = new ReplayQueue();
    const failing = () =>
      (async function* (): AsyncIterable<StoredEvent> {
        yield* [];
        throw new Error('store went away');
      })();

    await expect(queue.replay(failing, request('standards', {}))).rejects.toThrow('store went away');
    expect((await queue.replay(() => asyncOf(history().events), request('standards', {}))).eventsReplayed).toBe(8);
  });
});
