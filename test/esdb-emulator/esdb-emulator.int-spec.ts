import { randomUUID } from 'node:crypto';
import {
  AllStreamResolvedEvent,
  END,
  EventStoreDBClient,
  FORWARDS,
  BACKWARDS,
  NO_STREAM,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError,
  eventTypeFilter,
  streamNameFilter,
  jsonEvent,
} from '@eventstore/db-client';
import { EsdbEmulator, startEsdbEmulator } from './esdb-emulator';

/** The emulator driven by the real client: it must answer the way the client expects a server to. */
describe('EventStoreDB protocol emulator (test double)', () => {
  let emulator: EsdbEmulator;
  let client: EventStoreDBClient;

  beforeAll(async () => {
    emulator = await startEsdbEmulator();
    client = EventStoreDBClient.connectionString(emulator.connectionString);
  });

  afterAll(async () => {
    await client.dispose();
    await emulator.stop();
  });

  const stream = () => `emulator-${randomUUID()}`;

  it('appends through Streams/Append, never BatchAppend, and reads the stream back', async () => {
    const streamId = stream();
    const id = randomUUID();
    const result = await client.appendToStream(streamId, [jsonEvent({ id, type: 'Tested', data: { a: 1 }, metadata: { by: 'me' } })], {
      expectedRevision: NO_STREAM,
    });
    expect(result.nextExpectedRevision).toBe(0n);
    expect(result.position?.commit).toBeGreaterThan(0n);
    expect(emulator.servedCalls).toContain('ServerFeatures/GetSupportedMethods');
    expect(emulator.servedCalls).toContain('Streams/Append');

    const events = [];
    for await (const resolved of client.readStream(streamId, { direction: FORWARDS, fromRevision: START })) events.push(resolved.event);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ id, streamId, revision: 0n, type: 'Tested', data: { a: 1 }, metadata: { by: 'me' }, isJson: true });
    expect(events[0]?.position?.commit).toBe(result.position?.commit);
    expect(Math.abs((events[0]?.created.getTime() ?? 0) - Date.now())).toBeLessThan(60_000);
  });

  it('fails a $all read or subscription from inside a record, as the real server does, and starts at 0, a record or the end', async () => {
    const result = await client.appendToStream(stream(), [jsonEvent({ type: 'Tested', data: {} })]);
    const at = result.position!.commit;
    const readFrom = async (commit: bigint, direction: typeof FORWARDS | typeof BACKWARDS = FORWARDS) => {
      const read: AllStreamResolvedEvent[] = [];
      for await (const resolved of client.readAll({ fromPosition: { commit, prepare: commit }, direction, maxCount: 1 })) read.push(resolved);
      return read;
    };

    await expect(readFrom(at + 1n)).rejects.toThrow(/invalid position/);
    await expect(readFrom(at + 1n, BACKWARDS)).rejects.toThrow(/invalid position/);
    const subscription = client.subscribeToAll({ fromPosition: { commit: at + 1n, prepare: at + 1n } });
    await expect(subscription[Symbol.asyncIterator]().next()).rejects.toThrow(/invalid position/);
    await subscription.unsubscribe();
    expect((await readFrom(at))[0]?.event?.position?.commit).toBe(at);
    expect(await readFrom(0n)).toHaveLength(1);
    expect(await readFrom(at * 1000n)).toEqual([]);
  });

  it('answers a conflict in-band, so the client raises WrongExpectedVersionError', async () => {
    const streamId = stream();
    await client.appendToStream(streamId, [jsonEvent({ type: 'Tested', data: {} })]);
    const conflict = client.appendToStream(streamId, [jsonEvent({ type: 'Tested', data: {} })], { expectedRevision: NO_STREAM });
    await expect(conflict).rejects.toBeInstanceOf(WrongExpectedVersionError);
    await expect(conflict).rejects.toMatchObject({ streamName: streamId, actualVersion: 0n, expectedVersion: 'no_stream' });
  });

  it('treats a re-append of the same ids at the same revision as already done, like the real server', async () => {
    const streamId = stream();
    const event = jsonEvent({ id: randomUUID(), type: 'Tested', data: {} });
    const first = await client.appendToStream(streamId, [event], { expectedRevision: NO_STREAM });
    const again = await client.appendToStream(streamId, [event], { expectedRevision: NO_STREAM });
    expect(again).toMatchObject({ success: true, nextExpectedRevision: first.nextExpectedRevision });
    let stored = 0;
    for await (const _ of client.readStream(streamId)) stored++;
    expect(stored).toBe(1);
  });

  it('reports a missing stream in-band as StreamNotFoundError', async () => {
    const read = async () => {
      for await (const _ of client.readStream(stream())) void _;
    };
    await expect(read()).rejects.toBeInstanceOf(StreamNotFoundError);
  });

  it('keeps system events in $all and uses gapped, increasing positions', async () => {
    const all: AllStreamResolvedEvent[] = [];
    for await (const resolved of client.readAll({ fromPosition: START, direction: FORWARDS })) all.push(resolved);
    expect(all.some((resolved) => resolved.event?.type === '$statsCollected')).toBe(true);
    const positions = all.map((resolved) => resolved.event!.position.commit);
    expect([...positions].sort((a, b) => (a < b ? -1 : 1))).toEqual(positions);
    expect(positions[1] - positions[0]).toBeGreaterThan(1n);

    const backwards: AllStreamResolvedEvent[] = [];
    for await (const resolved of client.readAll({ fromPosition: END, direction: BACKWARDS, maxCount: 1 })) backwards.push(resolved);
    expect(backwards[0]?.event?.position.commit).toBe(positions[positions.length - 1]);
  });

  it('filters a $all subscription server-side, confirms, catches up, sends checkpoints and goes live', async () => {
    const type = `Filtered${randomUUID().replace(/-/g, '')}`;
    const streamId = stream();
    await client.appendToStream(streamId, [jsonEvent({ type, data: { n: 1 } }), jsonEvent({ type: 'Other', data: {} })]);
    const checkpoints: bigint[] = [];
    const subscription = client.subscribeToAll({
      fromPosition: START,
      filter: eventTypeFilter({ regex: `^${type}$`, checkpointInterval: 1, checkpointReached: (_s, position) => void checkpoints.push(position.commit) }),
    });
    let caughtUp = false;
    subscription.on('caughtUp', () => {
      caughtUp = true;
      void client.appendToStream(streamId, [jsonEvent({ type, data: { n: 2 } })]);
    });
    const received: unknown[] = [];
    for await (const resolved of subscription) {
      received.push(resolved.event?.data);
      if (received.length === 2) break;
    }
    await subscription.unsubscribe();
    expect(received).toEqual([{ n: 1 }, { n: 2 }]);
    expect(caughtUp).toBe(true);
    expect(checkpoints.length).toBeGreaterThan(0);
    expect(emulator.subscriptionRequests.at(-1)).toMatchObject({ from: 'start', filter: { on: 'event-type', regex: `^${type}$` } });
  });

  it('filters a $all subscription on stream-id prefixes, starting after a position', async () => {
    const prefix = `prefixed-${randomUUID()}-`;
    const first = await client.appendToStream(`${prefix}a`, [jsonEvent({ type: 'Tested', data: { n: 1 } })]);
    await client.appendToStream(stream(), [jsonEvent({ type: 'Tested', data: { n: 0 } })]);
    await client.appendToStream(`${prefix}b`, [jsonEvent({ type: 'Tested', data: { n: 2 } })]);
    const subscription = client.subscribeToAll({ fromPosition: first.position!, filter: streamNameFilter({ prefixes: [prefix] }) });
    const received: unknown[] = [];
    for await (const resolved of subscription) {
      received.push(resolved.event?.data);
      break;
    }
    await subscription.unsubscribe();
    expect(received).toEqual([{ n: 2 }]);
    expect(emulator.subscriptionRequests.at(-1)).toMatchObject({ from: first.position!.commit, filter: { on: 'stream-id', prefixes: [prefix] } });
  });

  it('answers Gossip/Read with itself as leader for esdb+discover://', async () => {
    const discovering = EventStoreDBClient.connectionString(emulator.discoveryConnectionString);
    try {
      await discovering.appendToStream(stream(), [jsonEvent({ type: 'Tested', data: {} })]);
      expect(emulator.servedCalls).toContain('Gossip/Read');
    } finally {
      await discovering.dispose();
    }
  });

  it('refuses connections while down and serves the same events after coming back on the same port', async () => {
    const streamId = stream();
    await client.appendToStream(streamId, [jsonEvent({ type: 'Tested', data: {} })]);
    const port = emulator.port;
    await emulator.goDown();
    await expect(client.appendToStream(streamId, [jsonEvent({ type: 'Tested', data: {} })])).rejects.toMatchObject({ type: 'unavailable' });
    await emulator.comeBack();
    expect(emulator.port).toBe(port);
    const result = await client.appendToStream(streamId, [jsonEvent({ type: 'Tested', data: {} })], { expectedRevision: 0n });
    expect(result.nextExpectedRevision).toBe(1n);
  });
});
