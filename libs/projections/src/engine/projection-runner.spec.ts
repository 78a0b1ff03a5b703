import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { DomainEvent } from '@bsc/domain';
import { NewEvent, ANY } from '@bsc/event-store';
import { MemoryEventStore } from '@bsc/event-store/adapters/memory/memory-event-store';
import { ProjectionLogger, ProjectionRunner } from './projection-runner';
import { PROJECTION_VERSION, rebuildFromEvents, serialize } from './read-model-state';
import { announce, registerCompany } from '../testing/recorded-events';
import { companyCapacity, companyCapacitySteps } from '../company-capacity/company-capacity.read-model';
import { finishInSlices } from './in-slices';

const newEvent = (event: DomainEvent, recordedAt = new Date().toISOString()): NewEvent => ({
  eventId: randomUUID(),
  type: event.type,
  data: event.data,
  metadata: { schemaVersion: 1, recordedAt, recordedBy: 'test', source: { publisher: 'test' } },
});

const collect = async <T>(items: AsyncIterable<T>): Promise<T[]> => {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
};

const recordingLogger = () => {
  const lines: { level: string; msg: string }[] = [];
  const logger: ProjectionLogger = {
    info: (_obj, msg) => lines.push({ level: 'info', msg }),
    warn: (_obj, msg) => lines.push({ level: 'warn', msg }),
    error: (_obj, msg) => lines.push({ level: 'error', msg }),
  };
  return { lines, logger };
};

describe('projection runner', () => {
  let directory: string;
  let store: MemoryEventStore;
  const runners: ProjectionRunner[] = [];
  const runnerFor = (options: Partial<ConstructorParameters<typeof ProjectionRunner>[0]> = {}) => {
    const runner = new ProjectionRunner({ store, resubscribeDelayMs: 10, ...options });
    runners.push(runner);
    return runner;
  };

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'projections-'));
    store = new MemoryEventStore();
  });

  afterEach(async () => {
    await Promise.all(runners.splice(0).map((runner) => runner.stop()));
    await store.close();
    await rm(directory, { recursive: true, force: true });
  });

  it('applies every position once and in order while many writers append concurrently', async () => {
    const runner = runnerFor();
    await runner.start();
    const writers = Array.from({ length: 20 }, (_, writer) =>
      (async () => {
        await store.append(`company-w${writer}`, [newEvent(registerCompany(`w${writer}`))], { expectedRevision: ANY });
        for (let i = 0; i < 10; i++) {
          await store.append(`plant-w${writer}-${i}`, [newEvent(announce({ plantId: `w${writer}-${i}`, companyId: `w${writer}` }))], {
            expectedRevision: ANY,
          });
        }
      })(),
    );
    await Promise.all(writers);
    const head = await store.headPosition();

    expect(await runner.waitForPosition(head, 10_000)).toBe(true);
    const stored = await collect(store.readAll());
    expect(runner.state.clock.positions).toEqual(stored.map((event) => event.position));
    expect([...serialize(runner.state)]).toEqual([...serialize(rebuildFromEvents(stored))]);
    expect(runner.status()).toMatchObject({ running: true, position: head });
    expect(companyCapacity(runner.state, { asOf: '2030-01-01', knownAt: '2100-01-01T00:00:00Z' }).totals.announcedGwh).toBe(2000);
  });

  it('stops at an event it cannot apply, reports it and does not move past it', async () => {
    await store.append('company-a', [newEvent(registerCompany('a'))], { expectedRevision: ANY });
    const bad = { eventId: randomUUID(), type: 'CapacityAnnounced', data: null, metadata: { recordedAt: new Date().toISOString() } };
    const { position: badPosition } = await store.append('plant-bad', [bad], { expectedRevision: ANY });
    await store.append('company-b', [newEvent(registerCompany('b'))], { expectedRevision: ANY });
    const { lines, logger } = recordingLogger();
    const runner = runnerFor({ logger });
    await runner.start();

    expect(await runner.waitForPosition(badPosition + 1, 2000)).toBe(false);
    expect(runner.status()).toMatchObject({
      running: false,
      position: badPosition - 1,
      failed: { position: badPosition, eventId: bad.eventId, error: expect.stringContaining('not an object') },
    });
    expect(lines.some((line) => line.level === 'error')).toBe(true);
  });

  it('writes a checkpoint on stop and resumes from it', async () => {
    const path = join(directory, 'nested', 'projections.json');
    await store.append('company-a', [newEvent(registerCompany('a'))], { expectedRevision: ANY });
    const first = runnerFor({ checkpointPath: path });
    await first.start();
    expect(await first.waitForPosition(1, 2000)).toBe(true);
    await first.stop();

    const saved = (await readFile(path, 'utf8')).split('\n');
    expect(JSON.parse(saved[0])).toEqual({ version: PROJECTION_VERSION, position: 1 });
    expect(JSON.parse(saved.at(-2)!)).toEqual(['end', 1]);

    await store.append('company-b', [newEvent(registerCompany('b'))], { expectedRevision: ANY });
    const { lines, logger } = recordingLogger();
    const second = runnerFor({ checkpointPath: path, logger });
    await second.start();
    expect(lines.map((line) => line.msg)).toContain('projection checkpoint loaded');
    expect(await second.waitForPosition(2, 2000)).toBe(true);
    expect(companyCapacity(second.state, { asOf: '2030-01-01', knownAt: '2100-01-01T00:00:00Z' }).companies).toHaveLength(2);
  });

  it('checkpoints every N events while running', async () => {
    const path = join(directory, 'projections.json');
    const runner = runnerFor({ checkpointPath: path, checkpointEveryEvents: 2 });
    await runner.start();
    for (const id of ['a', 'b', 'c']) await store.append(`company-${id}`, [newEvent(registerCompany(id))], { expectedRevision: ANY });
    expect(await runner.waitForPosition(3, 2000)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 50));

    expect(JSON.parse((await readFile(path, 'utf8')).split('\n')[0]).position).toBeGreaterThanOrEqual(2);
  });

  const header = (version: number) => JSON.stringify({ version, position: 99 });
  it.each([
    ['of another version', `${header(PROJECTION_VERSION + 1)}\n["end",0]\n`, 'version'],
    // Before version 2 a checkpoint was one JSON document; it is discarded from its first bytes.
    ['of the one-document format', JSON.stringify({ version: 1, position: 99, entities: [{ streamId: 'x'.repeat(8000) }] }), 'version'],
    ['that is unreadable', '{ not json', 'unreadable'],
    ['that was cut short', `${header(PROJECTION_VERSION)}\n["entity","company-z",[],[]]\n`, 'unreadable'],
  ])('discards a checkpoint %s and rebuilds from the log', async (_case, content, reason) => {
    const path = join(directory, 'projections.json');
    await writeFile(path, content);
    await store.append('company-a', [newEvent(registerCompany('a'))], { expectedRevision: ANY });
    const { lines, logger } = recordingLogger();
    const runner = runnerFor({ checkpointPath: path, logger });
    await runner.start();

    expect(await runner.waitForPosition(1, 2000)).toBe(true);
    expect(runner.status().position).toBe(1);
    const warning = lines.find((line) => line.level === 'warn');
    expect(warning?.msg).toContain(reason === 'version' ? 'of another version' : 'unreadable');
  });

  it('reports the lag from record time to application for events appended after start, not for the catch-up', async () => {
    await store.append('company-old', [newEvent(registerCompany('old'), '2020-01-01T00:00:00.000Z')], { expectedRevision: ANY });
    const lags: number[] = [];
    const runner = runnerFor({ observeLag: (milliseconds) => lags.push(milliseconds) });
    await runner.start();
    expect(await runner.waitForPosition(1, 1000)).toBe(true);
    expect(lags).toEqual([]);

    const twoSecondsAgo = new Date(Date.now() - 2000).toISOString();
    await store.append('company-late', [newEvent(registerCompany('late'), twoSecondsAgo)], { expectedRevision: ANY });
    const { position } = await store.append('company-now', [newEvent(registerCompany('now'))], { expectedRevision: ANY });
    expect(await runner.waitForPosition(position, 1000)).toBe(true);

    expect(lags).toHaveLength(2);
    expect(lags[0]).toBeGreaterThanOrEqual(2000);
    expect(lags[0]).toBeLessThan(60_000);
    expect(lags[1]).toBeGreaterThanOrEqual(0);
    expect(lags[1]).toBeLessThan(lags[0]);
  });

  describe('holding the state still', () => {
    const registerNext = (id: string) => store.append(`company-${id}`, [newEvent(registerCompany(id))], { expectedRevision: ANY });
    const soon = () => new Promise((resolve) => setTimeout(resolve, 20));

    it('applies nothing while held and everything that came meanwhile once released', async () => {
      const runner = runnerFor();
      await runner.start();
      await registerNext('a');
      expect(await runner.waitForPosition(1, 1000)).toBe(true);
      const release = await runner.hold();
      const secondRelease = await runner.hold();
      await registerNext('b');
      await registerNext('c');
      await soon();

      expect(runner.state.position).toBe(1);
      release();
      release();
      await soon();
      expect(runner.state.position).toBe(1);
      secondRelease();
      expect(await runner.waitForPosition(3, 1000)).toBe(true);
    });

    it('makes a new hold wait while the runner waits with events to apply, so long reads cannot stall it', async () => {
      const runner = runnerFor();
      await runner.start();
      const first = await runner.hold();
      await registerNext('a');
      await soon();
      let secondHeld = false;
      const second = runner.hold().then((release) => {
        secondHeld = true;
        return release;
      });
      await soon();

      expect(secondHeld).toBe(false);
      first();
      const release = await second;
      expect(runner.state.position).toBe(1);
      release();
    });

    it('lets a holder take longer slices once events have waited beyond a grace, up to a cap', async () => {
      const runner = runnerFor();
      await runner.start();
      const release = await runner.hold();

      expect(runner.holderSliceMs(10, 0, 250)).toBe(10);
      await registerNext('a');
      await new Promise((resolve) => setTimeout(resolve, 60));
      expect(runner.holderSliceMs(10, 10_000, 250)).toBe(10);
      const beyond = runner.holderSliceMs(10, 0, 250);
      expect(beyond).toBeGreaterThanOrEqual(40);
      expect(beyond).toBeLessThanOrEqual(250);
      expect(runner.holderSliceMs(10, 0, 30)).toBe(30);

      release();
      expect(await runner.waitForPosition(1, 1000)).toBe(true);
      expect(runner.holderSliceMs(10, 0, 250)).toBe(10);
    });

    it('stops while held, and a hold after the stop is granted at once', async () => {
      const runner = runnerFor();
      await runner.start();
      const release = await runner.hold();
      await registerNext('a');
      await soon();
      await runner.stop();

      expect(runner.state.position).toBe(0);
      release();
      (await runner.hold())();
    });

    it('answers a read in slices at the position where it began while events arrive between its slices', async () => {
      for (let i = 0; i < 30; i++) await registerNext(`c${i}`);
      await store.append('plant-p1', [newEvent(announce({ plantId: 'p1', companyId: 'c0' }))], { expectedRevision: ANY });
      const runner = runnerFor();
      await runner.start();
      expect(await runner.waitForPosition(31, 1000)).toBe(true);
      const time = { asOf: '2030-01-01', knownAt: '2100-01-01T00:00:00Z' };
      const expected = companyCapacity(runner.state, time);

      const release = await runner.hold();
      let between = 0;
      const writes: Promise<unknown>[] = [];
      const steps = companyCapacitySteps(runner.state, time);
      const writeBetweenSlices = (): void => {
        between++;
        writes.push(registerNext(`late${between}`));
        // A plant for the last company listed, which the answer reaches only in its last slices.
        if (between === 1) writes.push(store.append('plant-p2', [newEvent(announce({ plantId: 'p2', companyId: 'c29' }))], { expectedRevision: ANY }));
        if (between < 10) setImmediate(writeBetweenSlices);
      };
      setImmediate(writeBetweenSlices);
      // Slices of 0 ms: one company per slice, the event loop runs between each.
      const answer = await finishInSlices(steps, 0).finally(release);
      await Promise.all(writes);

      expect(between).toBe(10);
      expect(answer).toEqual(expected);
      expect(await runner.waitForPosition(42, 1000)).toBe(true);
      const after = companyCapacity(runner.state, time);
      expect(after.companies).toHaveLength(40);
      expect(after.totals.announcedGwh).toBeGreaterThan(expected.totals.announcedGwh);
    });
  });

  it('times out waiting for a position that never comes', async () => {
    const runner = runnerFor();
    await runner.start();

    expect(await runner.waitForPosition(5, 30)).toBe(false);
  });
});
