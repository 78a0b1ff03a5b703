import { randomUUID } from 'node:crypto';
import { EsdbEmulator, startEsdbEmulator } from '../../../../../test/esdb-emulator/esdb-emulator';
import { PositionNotInLog, StoreUnavailable, StreamNotFound, WrongExpectedRevision } from '../../event-store.errors';
import { NO_STREAM } from '../../expected-revision';
import { NewEvent, StoredEvent } from '../../stored-event';
import { runEventStoreContract } from '../../testing/event-store.contract';
import { EsdbEventStore } from './esdb-event-store';

runEventStoreContract('esdb (against the protocol emulator)', async () => {
  const emulator = await startEsdbEmulator();
  return { store: EsdbEventStore.connect(emulator.connectionString), cleanup: () => emulator.stop() };
});

describe('EsdbEventStore (against the protocol emulator)', () => {
  let emulator: EsdbEmulator;
  let store: EsdbEventStore;

  beforeEach(async () => {
    emulator = await startEsdbEmulator();
    store = EsdbEventStore.connect(emulator.connectionString);
  });

  afterEach(async () => {
    await store.close();
    await emulator.stop();
  });

  const event = (type = 'Tested', data: unknown = {}): NewEvent => ({ eventId: randomUUID(), type, data, metadata: {} });

  describe('error translation', () => {
    it('turns a conflict into WrongExpectedRevision with the caller expectation and the actual revision', async () => {
      await store.append('plant-1', [event(), event()], { expectedRevision: NO_STREAM });

      const conflict = store.append('plant-1', [event()], { expectedRevision: 0 });

      await expect(conflict).rejects.toBeInstanceOf(WrongExpectedRevision);
      await expect(conflict).rejects.toMatchObject({ streamId: 'plant-1', expected: 0, actual: 1 });
    });

    it('reports a missing stream as no-stream in a conflict', async () => {
      await expect(store.append('plant-2', [event()], { expectedRevision: 'stream-exists' })).rejects.toMatchObject({
        streamId: 'plant-2',
        expected: 'stream-exists',
        actual: NO_STREAM,
      });
    });

    it('turns a missing stream on read into StreamNotFound', async () => {
      await expect(collect(store.readStream('plant-missing'))).rejects.toEqual(new StreamNotFound('plant-missing'));
    });

    it('turns a read or subscription from inside a record into PositionNotInLog, and still reads from an event, 0 or past the head', async () => {
      const { position } = await store.append('plant-14', [event()], { expectedRevision: NO_STREAM });

      await expect(collect(store.readAll({ fromPosition: position + 1 }))).rejects.toEqual(new PositionNotInLog(position + 1));
      await expect(take(store.subscribeAll({ fromPosition: position + 1 }), 1)).rejects.toEqual(new PositionNotInLog(position + 1));
      expect((await collect(store.readAll({ fromPosition: position }))).map((e) => e.position)).toEqual([position]);
      expect(await collect(store.readAll({ fromPosition: 0 }))).toHaveLength(1);
      expect(await collect(store.readAll({ fromPosition: position * 1000 }))).toEqual([]);
    });

    it('refuses a payload JSON cannot represent before sending anything, and stores undefined data as null', async () => {
      const unrepresentable = { ...event(), data: () => 'not json' };

      await expect(store.append('plant-13', [unrepresentable], { expectedRevision: NO_STREAM })).rejects.toBeInstanceOf(TypeError);
      await store.append('plant-13', [{ ...event(), data: undefined }], { expectedRevision: NO_STREAM });

      expect((await collect(store.readStream('plant-13'))).map((e) => e.data)).toEqual([null]);
    });

    it('answers a same-id re-append at the same revision with success, without writing (best-effort idempotence)', async () => {
      const once = event();
      const first = await store.append('plant-3', [once], { expectedRevision: NO_STREAM });
      const again = await store.append('plant-3', [once], { expectedRevision: NO_STREAM });

      expect(again).toEqual(first);
      expect(await collect(store.readStream('plant-3'))).toHaveLength(1);
    });
  });

  describe('system events', () => {
    it('never yields them from readAll, though $all holds them', async () => {
      emulator.appendSystemEvent('$stats-127.0.0.1:2113', '$statsCollected');
      await store.append('plant-4', [event('PlantAnnounced')], { expectedRevision: NO_STREAM });
      emulator.appendSystemEvent('$ce-plant', '$>');
      emulator.appendSystemEvent('plant-4', '$metadata');

      const all = await collect(store.readAll());

      expect(all.map((e) => [e.streamId, e.type])).toEqual([['plant-4', 'PlantAnnounced']]);
    });

    it('never yields them from a subscription, and reports 0 as the head when only system events exist', async () => {
      expect(await store.headPosition()).toBe(0);
      await store.append('plant-5', [event('PlantAnnounced')], { expectedRevision: NO_STREAM });
      emulator.appendSystemEvent('$stats-127.0.0.1:2113', '$statsCollected');
      const appended = await store.append('plant-5', [event('PlantCommissioned')], { expectedRevision: 0 });
      emulator.appendSystemEvent('$stats-127.0.0.1:2113', '$statsCollected');

      const seen = await take(store.subscribeAll(), 2);

      expect(seen.map((e) => e.type)).toEqual(['PlantAnnounced', 'PlantCommissioned']);
      expect(await store.headPosition()).toBe(appended.position);
    });
  });

  describe('server-side subscription filter', () => {
    it('sends an exact event-type filter when the port filter lists types', async () => {
      await store.append('plant-6', [event('PlantAnnounced'), event('PlantAnnouncedLate'), event('Plant.Announced')], { expectedRevision: NO_STREAM });

      const seen = await take(store.subscribeAll({ filter: { eventTypes: ['PlantAnnounced', 'Plant.Announced'] } }), 2);

      expect(seen.map((e) => e.type)).toEqual(['PlantAnnounced', 'Plant.Announced']);
      expect(emulator.subscriptionRequests).toEqual([
        expect.objectContaining({ from: 'start', filter: { on: 'event-type', prefixes: [], regex: '^(?:PlantAnnounced|Plant\\.Announced)$' } }),
      ]);
    });

    it('sends a filter excluding system events when the port gives none', async () => {
      await store.append('plant-7', [event()], { expectedRevision: NO_STREAM });

      await take(store.subscribeAll(), 1);

      expect(emulator.subscriptionRequests.at(-1)?.filter).toEqual({ on: 'event-type', prefixes: [], regex: '^[^$].*' });
    });

    it('subscribes from a position exclusively, sending it as both commit and prepare', async () => {
      const first = await store.append('plant-8', [event('A')], { expectedRevision: NO_STREAM });
      await store.append('plant-8', [event('B')], { expectedRevision: 0 });

      const seen = await take(store.subscribeAll({ fromPosition: first.position }), 1);

      expect(seen.map((e) => e.type)).toEqual(['B']);
      expect(emulator.subscriptionRequests.at(-1)?.from).toBe(BigInt(first.position));
    });
  });

  describe('outage and recovery', () => {
    it('fails fast with StoreUnavailable while the server is down, then works again without a new adapter', async () => {
      await store.append('plant-9', [event()], { expectedRevision: NO_STREAM });
      await emulator.goDown();

      const started = Date.now();
      await expect(store.ping()).rejects.toBeInstanceOf(StoreUnavailable);
      await expect(store.append('plant-9', [event()], { expectedRevision: 0 })).rejects.toBeInstanceOf(StoreUnavailable);
      await expect(store.headPosition()).rejects.toBeInstanceOf(StoreUnavailable);
      await expect(collect(store.readStream('plant-9'))).rejects.toBeInstanceOf(StoreUnavailable);
      await expect(collect(store.readAll())).rejects.toBeInstanceOf(StoreUnavailable);
      expect(Date.now() - started).toBeLessThan(5_000);

      await emulator.comeBack();

      await expect(eventually(() => store.ping())).resolves.toBeUndefined();
      const result = await store.append('plant-9', [event()], { expectedRevision: 0 });
      expect(result.revision).toBe(1);
      expect((await collect(store.readStream('plant-9'))).map((e) => e.revision)).toEqual([0, 1]);
    });

    it('ends a live subscription with StoreUnavailable when the server goes away, and a new one resumes after the last event', async () => {
      const first = await store.append('plant-10', [event('A')], { expectedRevision: NO_STREAM });
      const iterator = store.subscribeAll()[Symbol.asyncIterator]();
      expect((await iterator.next()).value).toMatchObject({ type: 'A' });

      const dropped = iterator.next();
      await emulator.goDown();
      await expect(dropped).rejects.toBeInstanceOf(StoreUnavailable);

      await emulator.comeBack();
      await eventually(() => store.append('plant-10', [event('B')], { expectedRevision: 0 }));
      const resumed = await take(store.subscribeAll({ fromPosition: first.position }), 1);
      expect(resumed.map((e) => e.type)).toEqual(['B']);
    });

    it('discovers the leader through gossip and recovers after an outage the same way', async () => {
      const discovering = EsdbEventStore.connect(emulator.discoveryConnectionString);
      try {
        await discovering.append('plant-11', [event()], { expectedRevision: NO_STREAM });
        expect(emulator.servedCalls).toContain('Gossip/Read');
        await emulator.goDown();
        await expect(discovering.ping()).rejects.toBeInstanceOf(StoreUnavailable);
        await emulator.comeBack();
        await expect(eventually(() => discovering.ping())).resolves.toBeUndefined();
      } finally {
        await discovering.close();
      }
    });
  });

  describe('closing', () => {
    it('waits for pending appends, ends open subscriptions quietly and refuses further calls', async () => {
      const subscription = store.subscribeAll({ filter: { eventTypes: ['Never'] } })[Symbol.asyncIterator]();
      const waiting = subscription.next();
      const pending = store.append('plant-12', [event()], { expectedRevision: NO_STREAM });

      await store.close();

      await expect(pending).resolves.toMatchObject({ revision: 0 });
      await expect(waiting).resolves.toEqual({ done: true, value: undefined });
      await expect(store.ping()).rejects.toBeInstanceOf(StoreUnavailable);
    });
  });

  it('rejects connection strings that are not esdb:// or esdb+discover://', () => {
    expect(() => EsdbEventStore.connect('http://127.0.0.1:2113')).toThrow(RangeError);
  });
});

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

async function take(iterable: AsyncIterable<StoredEvent>, count: number): Promise<StoredEvent[]> {
  const items: StoredEvent[] = [];
  if (count === 0) return items;
  for await (const item of iterable) {
    items.push(item);
    if (items.length === count) break;
  }
  return items;
}

/** Retries while the store is still unavailable, as a caller would after an outage. */
async function eventually<T>(operation: () => Promise<T>, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await operation();
    } catch (error) {
      if (!(error instanceof StoreUnavailable) || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
