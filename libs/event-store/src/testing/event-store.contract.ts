import { randomBytes, randomUUID } from 'node:crypto';
import { ANY, NO_STREAM, STREAM_EXISTS } from '../expected-revision';
import { StreamNotFound, WrongExpectedRevision } from '../event-store.errors';
import { EventStore } from '../event-store.port';
import { NewEvent, StoredEvent } from '../stored-event';

const HEAVY_TEST_TIMEOUT_MS = 60_000;
const SUBSCRIPTION_TIMEOUT_MS = 20_000;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/**
 * The behaviour every EventStore adapter must show, as jest `describe`/`it` blocks.
 *
 * Each test writes only to streams and event types of its own (random suffixes), and never assumes
 * the log is empty or that positions are gap-free: global reads are filtered by the test's own
 * event types or streams, so the suite runs unchanged against a shared server.
 *
 * Event ids are UUIDs and no payload exceeds 10^6 bytes, which keeps the suite inside what
 * EventStoreDB accepts by default (1 MiB per append).
 *
 * @example
 *   runEventStoreContract('memory', async () => ({ store: new MemoryEventStore(), cleanup: async () => {} }));
 */
export function runEventStoreContract(
  adapterName: string,
  open: () => Promise<{ store: EventStore; cleanup: () => Promise<void> }>,
): void {
  describe(`EventStore contract: ${adapterName}`, () => {
    let store: EventStore;
    let cleanup: () => Promise<void>;
    const runId = randomUUID().slice(0, 8);
    let nameCounter = 0;
    const uniqueStream = (name: string): string => `contract-${name}-${runId}-${++nameCounter}`;
    const uniqueType = (name: string): string => `Contract${name}_${runId}_${++nameCounter}`;

    beforeAll(async () => {
      ({ store, cleanup } = await open());
    }, HEAVY_TEST_TIMEOUT_MS);

    afterAll(async () => {
      await store?.close();
      await cleanup?.();
    }, HEAVY_TEST_TIMEOUT_MS);

    describe('append and expected revisions', () => {
      it('appends to a new stream with no-stream and reads every field back', async () => {
        const streamId = uniqueStream('fields');
        const type = uniqueType('Fields');
        const events = [
          newEvent(type, { n: 0, nested: { list: [1, 'two', null, true] } }, { correlationId: randomUUID(), n: 0 }),
          newEvent(type, { n: 1 }, { causation: { id: 'c-1', at: '2024-01-01T00:00:00.000Z' }, tags: ['a', 'b'] }),
        ];

        const result = await store.append(streamId, events, { expectedRevision: NO_STREAM });
        const stored = await collect(store.readStream(streamId));

        expect(result.revision).toBe(1);
        expect(stored.map((e) => e.revision)).toEqual([0, 1]);
        expect(stored.map((e) => e.eventId)).toEqual(events.map((e) => e.eventId));
        expect(stored.map((e) => e.type)).toEqual([type, type]);
        expect(stored.map((e) => e.streamId)).toEqual([streamId, streamId]);
        expect(stored.map((e) => e.data)).toStrictEqual(events.map((e) => e.data));
        expect(stored.map((e) => e.metadata)).toStrictEqual(events.map((e) => e.metadata));
        expect(stored[1].position).toBe(result.position);
        expect(stored[0].position).toBeLessThan(stored[1].position);
        for (const event of stored) {
          expect(event.recordedAt).toMatch(ISO_INSTANT);
          expect(Number.isNaN(Date.parse(event.recordedAt))).toBe(false);
        }
        expect(Date.parse(stored[0].recordedAt)).toBeLessThanOrEqual(Date.parse(stored[1].recordedAt));
      });

      it('refuses no-stream on an existing stream and writes nothing', async () => {
        const streamId = uniqueStream('no-stream-conflict');
        const type = uniqueType('NoStreamConflict');
        await store.append(streamId, [newEvent(type), newEvent(type)], { expectedRevision: NO_STREAM });
        const rejected = [newEvent(type), newEvent(type)];

        const error = await captureError(store.append(streamId, rejected, { expectedRevision: NO_STREAM }));

        expectConflict(error, streamId, NO_STREAM, 1);
        await expectNothingWritten(streamId, type, 2, rejected);
      });

      it('accepts stream-exists on an existing stream', async () => {
        const streamId = uniqueStream('exists');
        const type = uniqueType('Exists');
        await store.append(streamId, [newEvent(type)], { expectedRevision: NO_STREAM });

        const result = await store.append(streamId, [newEvent(type), newEvent(type)], { expectedRevision: STREAM_EXISTS });

        expect(result.revision).toBe(2);
        expect((await collect(store.readStream(streamId))).map((e) => e.revision)).toEqual([0, 1, 2]);
      });

      it('refuses stream-exists on a missing stream, reporting no-stream, and writes nothing', async () => {
        const streamId = uniqueStream('exists-conflict');
        const type = uniqueType('ExistsConflict');
        const rejected = [newEvent(type)];

        const error = await captureError(store.append(streamId, rejected, { expectedRevision: STREAM_EXISTS }));

        expectConflict(error, streamId, STREAM_EXISTS, NO_STREAM);
        await expect(collect(store.readStream(streamId))).rejects.toBeInstanceOf(StreamNotFound);
        expect(await ownEvents(type)).toEqual([]);
      });

      it('accepts any on a missing stream and on an existing one', async () => {
        const streamId = uniqueStream('any');
        const type = uniqueType('Any');

        const first = await store.append(streamId, [newEvent(type)], { expectedRevision: ANY });
        const second = await store.append(streamId, [newEvent(type), newEvent(type)], { expectedRevision: ANY });

        expect(first.revision).toBe(0);
        expect(second.revision).toBe(2);
        expect(second.position).toBeGreaterThan(first.position);
      });

      it('accepts an exact revision that matches the stream', async () => {
        const streamId = uniqueStream('exact');
        const type = uniqueType('Exact');
        const first = await store.append(streamId, [newEvent(type), newEvent(type)], { expectedRevision: NO_STREAM });

        const second = await store.append(streamId, [newEvent(type)], { expectedRevision: first.revision });

        expect(second.revision).toBe(2);
        expect((await collect(store.readStream(streamId))).map((e) => e.revision)).toEqual([0, 1, 2]);
      });

      it('refuses an exact revision that is behind or ahead of the stream, and writes nothing', async () => {
        const streamId = uniqueStream('exact-conflict');
        const type = uniqueType('ExactConflict');
        await store.append(streamId, [newEvent(type), newEvent(type), newEvent(type)], { expectedRevision: NO_STREAM });
        const behind = [newEvent(type)];
        const ahead = [newEvent(type)];

        const behindError = await captureError(store.append(streamId, behind, { expectedRevision: 1 }));
        const aheadError = await captureError(store.append(streamId, ahead, { expectedRevision: 7 }));

        expectConflict(behindError, streamId, 1, 2);
        expectConflict(aheadError, streamId, 7, 2);
        await expectNothingWritten(streamId, type, 3, [...behind, ...ahead]);
      });

      it('refuses an exact revision on a missing stream, reporting no-stream', async () => {
        const streamId = uniqueStream('exact-missing');
        const type = uniqueType('ExactMissing');

        const error = await captureError(store.append(streamId, [newEvent(type)], { expectedRevision: 0 }));

        expectConflict(error, streamId, 0, NO_STREAM);
        expect(await ownEvents(type)).toEqual([]);
      });

      it('lets exactly one of many racing writers win the same expected revision', async () => {
        const streamId = uniqueStream('race');
        const type = uniqueType('Race');
        await store.append(streamId, [newEvent(type)], { expectedRevision: NO_STREAM });

        const outcomes = await Promise.allSettled(
          Array.from({ length: 10 }, () => store.append(streamId, [newEvent(type), newEvent(type)], { expectedRevision: 0 })),
        );

        const won = outcomes.filter((o) => o.status === 'fulfilled');
        const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(9);
        for (const { reason } of lost) expectConflict(reason, streamId, 0, 2);
        expect((await collect(store.readStream(streamId))).map((e) => e.revision)).toEqual([0, 1, 2]);
      });
    });

    describe('appendMany', () => {
      it('appends to several streams in one call and answers each entry in order', async () => {
        const type = uniqueType('Many');
        const [first, second, third] = [uniqueStream('many-1'), uniqueStream('many-2'), uniqueStream('many-3')];
        await store.append(second, [newEvent(type, { i: -1 })], { expectedRevision: NO_STREAM });
        const appends = [
          { streamId: first, events: [newEvent(type, { i: 0 }), newEvent(type, { i: 1 })], expectedRevision: NO_STREAM },
          { streamId: second, events: [newEvent(type, { i: 2 })], expectedRevision: 0 },
          { streamId: third, events: [newEvent(type, { i: 3 })], expectedRevision: ANY },
        ];

        const outcomes = await store.appendMany(appends);

        expect(outcomes.map((outcome) => (outcome.ok ? outcome.revision : outcome.error))).toEqual([1, 1, 0]);
        const positions = outcomes.map((outcome) => (outcome.ok ? outcome.position : Number.NaN));
        expectStrictlyIncreasing(positions);
        for (const [i, { streamId, events }] of appends.entries()) {
          const stored = await collect(store.readStream(streamId));
          expect(stored.slice(-events.length).map((e) => e.eventId)).toEqual(events.map((e) => e.eventId));
          expect(stored.at(-1)?.position).toBe(positions[i]);
        }
        expect((await ownEvents(type)).map((e) => (e.data as { i: number }).i)).toEqual([-1, 0, 1, 2, 3]);
      });

      it('refuses an entry whose expected revision does not hold, alone, and writes the others', async () => {
        const type = uniqueType('ManyConflict');
        const [before, existing, after] = [uniqueStream('many-before'), uniqueStream('many-existing'), uniqueStream('many-after')];
        await store.append(existing, [newEvent(type), newEvent(type)], { expectedRevision: NO_STREAM });
        const rejected = [newEvent(type)];

        const outcomes = await store.appendMany([
          { streamId: before, events: [newEvent(type)], expectedRevision: NO_STREAM },
          { streamId: existing, events: rejected, expectedRevision: 0 },
          { streamId: after, events: [newEvent(type)], expectedRevision: NO_STREAM },
        ]);

        expect(outcomes.map((outcome) => outcome.ok)).toEqual([true, false, true]);
        const refused = outcomes[1];
        expectConflict(refused.ok ? undefined : refused.error, existing, 0, 1);
        await expectNothingWritten(existing, type, 2, rejected);
        expect(await collect(store.readStream(before))).toHaveLength(1);
        expect(await collect(store.readStream(after))).toHaveLength(1);
      });

      it('lets a later entry see an earlier one on the same stream', async () => {
        const type = uniqueType('ManySame');
        const streamId = uniqueStream('many-same');
        const refused = [newEvent(type)];

        const outcomes = await store.appendMany([
          { streamId, events: [newEvent(type, { i: 0 })], expectedRevision: NO_STREAM },
          { streamId, events: refused, expectedRevision: NO_STREAM },
          { streamId, events: [newEvent(type, { i: 1 }), newEvent(type, { i: 2 })], expectedRevision: 0 },
        ]);

        expect(outcomes.map((outcome) => (outcome.ok ? outcome.revision : 'refused'))).toEqual([0, 'refused', 2]);
        const conflict = outcomes[1];
        expectConflict(conflict.ok ? undefined : conflict.error, streamId, NO_STREAM, 0);
        const stored = await collect(store.readStream(streamId));
        expect(stored.map((e) => (e.data as { i: number }).i)).toEqual([0, 1, 2]);
        expect(stored.map((e) => e.revision)).toEqual([0, 1, 2]);
      });

      it('answers an empty list with an empty list, and refuses an entry without events writing nothing', async () => {
        const type = uniqueType('ManyInvalid');
        const streamId = uniqueStream('many-invalid');

        expect(await store.appendMany([])).toEqual([]);
        const error = await captureError(
          store.appendMany([
            { streamId, events: [newEvent(type)], expectedRevision: NO_STREAM },
            { streamId: uniqueStream('many-empty'), events: [], expectedRevision: ANY },
          ]),
        );

        expect(error).toBeInstanceOf(RangeError);
        expect(await ownEvents(type)).toEqual([]);
      });

      it('lets exactly one of an appendMany entry and a racing append win the same expected revision', async () => {
        const type = uniqueType('ManyRace');
        const streamId = uniqueStream('many-race');
        await store.append(streamId, [newEvent(type)], { expectedRevision: NO_STREAM });

        const [many, single] = await Promise.allSettled([
          store.appendMany([{ streamId, events: [newEvent(type)], expectedRevision: 0 }]),
          store.append(streamId, [newEvent(type)], { expectedRevision: 0 }),
        ]);

        expect(many.status).toBe('fulfilled');
        const manyWon = many.status === 'fulfilled' && many.value[0].ok;
        expect(single.status).toBe(manyWon ? 'rejected' : 'fulfilled');
        if (!manyWon && many.status === 'fulfilled' && !many.value[0].ok) expectConflict(many.value[0].error, streamId, 0, 1);
        if (manyWon && single.status === 'rejected') expectConflict(single.reason, streamId, 0, 1);
        expect((await collect(store.readStream(streamId))).map((e) => e.revision)).toEqual([0, 1]);
      });
    });

    describe('readStream', () => {
      let streamId: string;
      let type: string;

      beforeAll(async () => {
        streamId = uniqueStream('read');
        type = uniqueType('Read');
        const events = Array.from({ length: 10 }, (_, i) => newEvent(type, { i }));
        await store.append(streamId, events, { expectedRevision: NO_STREAM });
      });

      it('reads forwards from the start by default', async () => {
        const events = await collect(store.readStream(streamId));
        expect(events.map((e) => e.revision)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
        expect(events.map((e) => (e.data as { i: number }).i)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      });

      it('reads forwards from an inclusive revision with a limit', async () => {
        const events = await collect(store.readStream(streamId, { fromRevision: 3, limit: 4 }));
        expect(events.map((e) => e.revision)).toEqual([3, 4, 5, 6]);
      });

      it('reads backwards from the end by default', async () => {
        const events = await collect(store.readStream(streamId, { direction: 'backwards', limit: 3 }));
        expect(events.map((e) => e.revision)).toEqual([9, 8, 7]);
      });

      it('reads backwards from an inclusive revision with a limit', async () => {
        const events = await collect(store.readStream(streamId, { direction: 'backwards', fromRevision: 5, limit: 4 }));
        expect(events.map((e) => e.revision)).toEqual([5, 4, 3, 2]);
      });

      it('reads backwards to the first event when the limit is larger than what is left', async () => {
        const events = await collect(store.readStream(streamId, { direction: 'backwards', fromRevision: 2, limit: 50 }));
        expect(events.map((e) => e.revision)).toEqual([2, 1, 0]);
      });

      it('yields nothing when reading forwards past the end of an existing stream', async () => {
        expect(await collect(store.readStream(streamId, { fromRevision: 10 }))).toEqual([]);
      });

      it('keeps positions increasing with revisions', async () => {
        const events = await collect(store.readStream(streamId));
        expectStrictlyIncreasing(events.map((e) => e.position));
      });

      it('throws StreamNotFound on iteration for a stream with no events, in both directions', async () => {
        const missing = uniqueStream('missing');
        const error = await captureError(collect(store.readStream(missing)));
        expect(error).toBeInstanceOf(StreamNotFound);
        expect((error as StreamNotFound).streamId).toBe(missing);
        await expect(collect(store.readStream(missing, { direction: 'backwards' }))).rejects.toBeInstanceOf(StreamNotFound);
      });
    });

    describe('readStreams', () => {
      it('reads several whole streams in revision order, a missing one as empty, each listed once', async () => {
        const type = uniqueType('ReadStreams');
        const [long, short, missing] = [uniqueStream('streams-long'), uniqueStream('streams-short'), uniqueStream('streams-missing')];
        await store.append(long, Array.from({ length: 300 }, (_, i) => newEvent(type, { i })), { expectedRevision: NO_STREAM });
        await store.append(short, [newEvent(type, { i: 0 })], { expectedRevision: NO_STREAM });
        await store.append(long, [newEvent(type, { i: 300 })], { expectedRevision: 299 });

        const streams = await store.readStreams([short, missing, long, short]);

        expect([...streams.keys()].sort()).toEqual([long, missing, short].sort());
        expect(streams.get(missing)).toEqual([]);
        expect(streams.get(short)).toEqual(await collect(store.readStream(short)));
        const longStream = streams.get(long) ?? [];
        expect(longStream.map((e) => e.revision)).toEqual(Array.from({ length: 301 }, (_, i) => i));
        expect(longStream).toEqual(await collect(store.readStream(long)));
        expect(await store.readStreams([])).toEqual(new Map());
      });
    });

    describe('readAll', () => {
      let typeA: string;
      let typeB: string;
      let written: StoredEvent[];

      beforeAll(async () => {
        typeA = uniqueType('ReadAllA');
        typeB = uniqueType('ReadAllB');
        const first = uniqueStream('read-all-1');
        const second = uniqueStream('read-all-2');
        await store.append(first, [newEvent(typeA, { i: 0 }), newEvent(typeB, { i: 1 })], { expectedRevision: NO_STREAM });
        await store.append(second, [newEvent(typeA, { i: 2 }), newEvent(typeA, { i: 3 })], { expectedRevision: NO_STREAM });
        await store.append(first, [newEvent(typeB, { i: 4 }), newEvent(typeA, { i: 5 })], { expectedRevision: 1 });
        await store.append(second, [newEvent(typeA, { i: 6 }), newEvent(typeB, { i: 7 })], { expectedRevision: 1 });
        written = await collect(store.readAll({ filter: { eventTypes: [typeA, typeB] } }));
      });

      it('returns every event of the filtered types in global order', () => {
        expect(written.map((e) => (e.data as { i: number }).i)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
        expectStrictlyIncreasing(written.map((e) => e.position));
      });

      it('keeps only the listed event types', async () => {
        const onlyB = await collect(store.readAll({ filter: { eventTypes: [typeB] } }));
        expect(onlyB.map((e) => (e.data as { i: number }).i)).toEqual([1, 4, 7]);
      });

      it('keeps nothing for an empty type list', async () => {
        const fromOurs = await collect(store.readAll({ fromPosition: written[0].position, limit: 20, filter: { eventTypes: [] } }));
        expect(fromOurs).toEqual([]);
      });

      it('starts at an inclusive position', async () => {
        const events = await collect(store.readAll({ fromPosition: written[3].position, filter: { eventTypes: [typeA, typeB] } }));
        expect(events.map((e) => e.eventId)).toEqual(written.slice(3).map((e) => e.eventId));
      });

      it('applies the limit to the events that pass the filter', async () => {
        const events = await collect(store.readAll({ fromPosition: written[1].position, limit: 3, filter: { eventTypes: [typeA] } }));
        expect(events.map((e) => (e.data as { i: number }).i)).toEqual([2, 3, 5]);
      });

      it('reads the unfiltered log in order, including our events', async () => {
        const ourIds = new Set(written.map((e) => e.eventId));
        const unfiltered = await collect(store.readAll({ fromPosition: written[0].position }));
        expectStrictlyIncreasing(unfiltered.map((e) => e.position));
        expect(unfiltered.filter((e) => ourIds.has(e.eventId)).map((e) => e.eventId)).toEqual(written.map((e) => e.eventId));
      });

      it('pages through the log by restarting at the last position seen', async () => {
        const paged: StoredEvent[] = [];
        let fromPosition: number | undefined;
        for (let page = 0; page < 20; page++) {
          const events = await collect(store.readAll({ fromPosition, limit: 3, filter: { eventTypes: [typeA, typeB] } }));
          const fresh = fromPosition === undefined ? events : events.filter((e) => e.position > (fromPosition as number));
          if (fresh.length === 0) break;
          paged.push(...fresh);
          fromPosition = fresh[fresh.length - 1].position;
        }
        expect(paged.map((e) => e.eventId)).toEqual(written.map((e) => e.eventId));
      });
    });

    describe('subscribeAll', () => {
      it('catches up from the start of the log', async () => {
        const type = uniqueType('SubscribeStart');
        const streamId = uniqueStream('subscribe-start');
        await store.append(streamId, [newEvent(type, { i: 0 }), newEvent(type, { i: 1 }), newEvent(type, { i: 2 })], { expectedRevision: NO_STREAM });

        const seen = await takeFromSubscription(store.subscribeAll({ filter: { eventTypes: [type] } }), (e) => e.type === type, 3);

        expect(seen.map((e) => (e.data as { i: number }).i)).toEqual([0, 1, 2]);
        expect(seen.map((e) => e.revision)).toEqual([0, 1, 2]);
      });

      it('starts strictly after the given position', async () => {
        const type = uniqueType('SubscribeFrom');
        const streamId = uniqueStream('subscribe-from');
        await store.append(streamId, [0, 1, 2, 3].map((i) => newEvent(type, { i })), { expectedRevision: NO_STREAM });
        const stored = await collect(store.readStream(streamId));

        const seen = await takeFromSubscription(
          store.subscribeAll({ fromPosition: stored[1].position, filter: { eventTypes: [type] } }),
          (e) => e.type === type,
          2,
        );

        expect(seen.map((e) => e.eventId)).toEqual([stored[2].eventId, stored[3].eventId]);
      });

      it('delivers events appended after it caught up', async () => {
        const type = uniqueType('SubscribeLive');
        const streamId = uniqueStream('subscribe-live');
        const head = await store.headPosition();
        const receiving = takeFromSubscription(store.subscribeAll({ fromPosition: head, filter: { eventTypes: [type] } }), (e) => e.type === type, 4);
        await delay(50);

        await store.append(streamId, [newEvent(type, { i: 0 }), newEvent(type, { i: 1 })], { expectedRevision: NO_STREAM });
        await delay(20);
        await store.append(streamId, [newEvent(type, { i: 2 }), newEvent(type, { i: 3 })], { expectedRevision: 1 });

        const seen = await receiving;
        expect(seen.map((e) => (e.data as { i: number }).i)).toEqual([0, 1, 2, 3]);
        expect(seen.map((e) => e.streamId)).toEqual([streamId, streamId, streamId, streamId]);
      });

      it('delivers the unfiltered log in order when no filter is given', async () => {
        const streamId = uniqueStream('subscribe-unfiltered');
        const type = uniqueType('SubscribeUnfiltered');
        const head = await store.headPosition();
        await store.append(streamId, [newEvent(type, { i: 0 }), newEvent(type, { i: 1 })], { expectedRevision: NO_STREAM });

        const positions: number[] = [];
        const seen = await takeFromSubscription(
          store.subscribeAll({ fromPosition: head }),
          (e) => {
            positions.push(e.position);
            return e.streamId === streamId;
          },
          2,
        );

        expect(seen.map((e) => (e.data as { i: number }).i)).toEqual([0, 1]);
        expectStrictlyIncreasing(positions);
      });

      it('delivers the same events a page at a time, each page non-empty, also after it caught up', async () => {
        const type = uniqueType('SubscribePages');
        const streamId = uniqueStream('subscribe-pages');
        const head = await store.headPosition();
        await store.append(streamId, [0, 1, 2, 3, 4].map((i) => newEvent(type, { i })), { expectedRevision: NO_STREAM });
        const pageSizes: number[] = [];
        const receiving = takeFromSubscription(eventsOfPages(store.subscribeAllPages({ fromPosition: head, filter: { eventTypes: [type] } }), pageSizes), (e) => e.type === type, 7);
        await delay(50);
        await store.append(streamId, [newEvent(type, { i: 5 }), newEvent(type, { i: 6 })], { expectedRevision: 4 });

        const seen = await receiving;
        const oneByOne = await takeFromSubscription(store.subscribeAll({ fromPosition: head, filter: { eventTypes: [type] } }), (e) => e.type === type, 7);
        expect(seen).toEqual(oneByOne);
        expect(seen.map((e) => (e.data as { i: number }).i)).toEqual([0, 1, 2, 3, 4, 5, 6]);
        expect(pageSizes.every((size) => size > 0)).toBe(true);
      });

      it('reads only the metadata keys asked for, those the event has, one by one and in pages', async () => {
        const type = uniqueType('SubscribeMetadataKeys');
        const streamId = uniqueStream('subscribe-metadata-keys');
        const head = await store.headPosition();
        const metadata = { recordedAt: '2024-05-01T10:00:00.000Z', quoted: 'a "b" \\ c é', count: 3, nested: { a: [1, null] }, nothing: null, other: 'left out' };
        await store.append(streamId, [newEvent(type, {}, metadata), newEvent(type, {}, {})], { expectedRevision: NO_STREAM });
        const options = { fromPosition: head, filter: { eventTypes: [type] }, metadataKeys: ['recordedAt', 'quoted', 'count', 'nested', 'nothing', 'missing'] };

        const oneByOne = await takeFromSubscription(store.subscribeAll(options), (e) => e.type === type, 2);
        const paged = await takeFromSubscription(eventsOfPages(store.subscribeAllPages(options)), (e) => e.type === type, 2);

        const none = await takeFromSubscription(eventsOfPages(store.subscribeAllPages({ ...options, metadataKeys: [] })), (e) => e.type === type, 2);
        const all = await takeFromSubscription(store.subscribeAll({ fromPosition: head, filter: options.filter }), (e) => e.type === type, 2);

        const { other: _leftOut, ...picked } = metadata;
        for (const seen of [oneByOne, paged]) expect(seen.map((e) => e.metadata)).toEqual([picked, {}]);
        expect(none.map((e) => e.metadata)).toEqual([{}, {}]);
        expect(all.map((e) => e.metadata)).toEqual([metadata, {}]);
      });

      it('refuses a metadata key that is not a plain name, on iteration', async () => {
        const error = await captureError(store.subscribeAllPages({ metadataKeys: ["x') --"] })[Symbol.asyncIterator]().next());
        expect(error).toBeInstanceOf(RangeError);
      });

      it(
        'sees every event of 20 concurrent writers exactly once, in global order, while they write',
        async () => {
          const writers = 20;
          const eventsPerWriter = 25;
          const type = uniqueType('Concurrent');
          const sentinelType = uniqueType('ConcurrentSentinel');
          const streams = Array.from({ length: writers }, (_, w) => uniqueStream(`concurrent-${w}`));
          const head = await store.headPosition();
          const receiving = takeFromSubscription(
            store.subscribeAll({ fromPosition: head, filter: { eventTypes: [type, sentinelType] } }),
            (e) => e.type === sentinelType,
            1,
            { keepAll: true, timeoutMs: HEAVY_TEST_TIMEOUT_MS },
          );

          const acknowledged = new Map<string, { streamId: string; revision: number }>();
          const lastPositions: number[] = [];
          await Promise.all(
            streams.map(async (streamId) => {
              for (let revision = 0; revision < eventsPerWriter; revision++) {
                const event = newEvent(type, { streamId, revision });
                const result = await store.append(streamId, [event], { expectedRevision: revision === 0 ? NO_STREAM : revision - 1 });
                expect(result.revision).toBe(revision);
                acknowledged.set(event.eventId, { streamId, revision });
                lastPositions.push(result.position);
              }
            }),
          );
          await store.append(uniqueStream('concurrent-sentinel'), [newEvent(sentinelType)], { expectedRevision: NO_STREAM });

          const seen = (await receiving).filter((e) => e.type === type);
          expect(seen).toHaveLength(writers * eventsPerWriter);
          expect(new Set(seen.map((e) => e.eventId)).size).toBe(writers * eventsPerWriter);
          expectStrictlyIncreasing(seen.map((e) => e.position));
          for (const event of seen) {
            expect(acknowledged.get(event.eventId)).toEqual({ streamId: event.streamId, revision: event.revision });
          }
          for (const streamId of streams) {
            const revisions = seen.filter((e) => e.streamId === streamId).map((e) => e.revision);
            expect(revisions).toEqual(Array.from({ length: eventsPerWriter }, (_, i) => i));
          }
          expect(new Set(lastPositions).size).toBe(lastPositions.length);
          expect(seen.map((e) => e.position).sort((a, b) => a - b)).toEqual([...lastPositions].sort((a, b) => a - b));
        },
        HEAVY_TEST_TIMEOUT_MS,
      );
    });

    describe('payloads', () => {
      it('round-trips unicode exactly: emoji, CJK, right-to-left text and NUL inside strings', async () => {
        const streamId = uniqueStream('unicode');
        const type = uniqueType('Unicode');
        const data = {
          emoji: '🔋⚡️ 👩‍👩‍👧‍👦 🇭🇺🇨🇳',
          cjk: '宁德时代 寧德時代 배터리 電池工場',
          rtl: 'مصنع البطاريات בית חרושת לסוללות',
          mixed: 'abc\u202Eflipped\u202C def',
          nul: 'before\u0000after',
          controls: '\t\n\r\u0001\u001f\u007f',
          combining: 'e\u0301 n\u0303 \u0041\u030A',
          '键 🔑': 'unicode key',
          list: ['\u0000', '\uFEFF', '\u2028\u2029'],
        };
        const metadata = { actor: 'Zoë Ångström 山田', note: 'نعم\u0000✓' };
        const event = { ...newEvent(type, data), metadata };

        await store.append(streamId, [event], { expectedRevision: NO_STREAM });
        const [fromStream] = await collect(store.readStream(streamId));
        const [fromLog] = await collect(store.readAll({ filter: { eventTypes: [type] } }));

        expect(fromStream.data).toStrictEqual(data);
        expect(fromStream.metadata).toStrictEqual(metadata);
        expect(fromLog.data).toStrictEqual(data);
        expect((fromStream.data as typeof data).nul).toHaveLength('before\u0000after'.length);
      });

      it(
        'round-trips a payload of one megabyte',
        async () => {
          const streamId = uniqueStream('large');
          const type = uniqueType('Large');
          const blob = randomBytes(750_000).toString('base64');
          expect(blob.length).toBe(1_000_000);
          const event = newEvent(type, { blob });

          await store.append(streamId, [event], { expectedRevision: NO_STREAM });
          const [stored] = await collect(store.readStream(streamId));

          expect((stored.data as { blob: string }).blob === blob).toBe(true);
        },
        HEAVY_TEST_TIMEOUT_MS,
      );

      it(
        'stores and reads back a stream of 10 000 events appended in batches',
        async () => {
          const streamId = uniqueStream('long');
          const type = uniqueType('Long');
          const total = 10_000;
          const batch = 500;
          for (let start = 0; start < total; start += batch) {
            const events = Array.from({ length: batch }, (_, k) => newEvent(type, { i: start + k }));
            const result = await store.append(streamId, events, { expectedRevision: start === 0 ? NO_STREAM : start - 1 });
            expect(result.revision).toBe(start + batch - 1);
          }

          const all = await collect(store.readStream(streamId));
          expect(all).toHaveLength(total);
          expect(all.every((e, i) => e.revision === i && (e.data as { i: number }).i === i)).toBe(true);
          expectStrictlyIncreasing(all.map((e) => e.position));

          const tail = await collect(store.readStream(streamId, { direction: 'backwards', limit: 3 }));
          expect(tail.map((e) => e.revision)).toEqual([9999, 9998, 9997]);
          const middle = await collect(store.readStream(streamId, { fromRevision: 5000, limit: 2 }));
          expect(middle.map((e) => e.revision)).toEqual([5000, 5001]);
        },
        HEAVY_TEST_TIMEOUT_MS,
      );
    });

    describe('health', () => {
      it('reports a head position at or after the last append', async () => {
        const before = await store.headPosition();
        const result = await store.append(uniqueStream('head'), [newEvent(uniqueType('Head'))], { expectedRevision: NO_STREAM });
        const after = await store.headPosition();

        expect(result.position).toBeGreaterThan(before);
        expect(after).toBeGreaterThanOrEqual(result.position);
      });

      it('answers a ping', async () => {
        await expect(store.ping()).resolves.toBeUndefined();
      });
    });

    async function ownEvents(type: string): Promise<StoredEvent[]> {
      return collect(store.readAll({ filter: { eventTypes: [type] } }));
    }

    async function expectNothingWritten(streamId: string, type: string, expectedCount: number, rejected: NewEvent[]): Promise<void> {
      const inStream = await collect(store.readStream(streamId));
      expect(inStream).toHaveLength(expectedCount);
      const rejectedIds = new Set(rejected.map((e) => e.eventId));
      expect((await ownEvents(type)).filter((e) => rejectedIds.has(e.eventId))).toEqual([]);
    }
  });
}

function newEvent(type: string, data: unknown = {}, metadata: Record<string, unknown> = {}): NewEvent {
  return { eventId: randomUUID(), type, data, metadata };
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

async function captureError(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the operation to fail, but it succeeded');
}

function expectConflict(error: unknown, streamId: string, expected: unknown, actual: unknown): void {
  expect(error).toBeInstanceOf(WrongExpectedRevision);
  const conflict = error as WrongExpectedRevision;
  expect({ streamId: conflict.streamId, expected: conflict.expected, actual: conflict.actual }).toEqual({ streamId, expected, actual });
}

function expectStrictlyIncreasing(values: number[]): void {
  const outOfOrder = values.findIndex((value, i) => i > 0 && value <= values[i - 1]);
  expect(outOfOrder).toBe(-1);
}

/** A page subscription as events, noting each page's size; stopping it stops the pages. */
function eventsOfPages(pages: AsyncIterable<readonly StoredEvent[]>, pageSizes: number[] = []): AsyncIterable<StoredEvent> {
  return {
    [Symbol.asyncIterator]: () => {
      const iterator = pages[Symbol.asyncIterator]();
      let page: readonly StoredEvent[] = [];
      let at = 0;
      return {
        next: async (): Promise<IteratorResult<StoredEvent>> => {
          while (at === page.length) {
            const next = await iterator.next();
            if (next.done) return { value: undefined, done: true };
            page = next.value;
            at = 0;
            pageSizes.push(page.length);
          }
          return { value: page[at++], done: false };
        },
        return: async (): Promise<IteratorResult<StoredEvent>> => {
          await iterator.return?.();
          return { value: undefined, done: true };
        },
      };
    },
  };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Reads a subscription until `count` events matched `wanted`, then stops iterating (which must end
 * the subscription). With `keepAll`, returns every event seen on the way, not only the matches.
 */
async function takeFromSubscription(
  subscription: AsyncIterable<StoredEvent>,
  wanted: (event: StoredEvent) => boolean,
  count: number,
  { keepAll = false, timeoutMs = SUBSCRIPTION_TIMEOUT_MS } = {},
): Promise<StoredEvent[]> {
  const iterator = subscription[Symbol.asyncIterator]();
  const kept: StoredEvent[] = [];
  let matched = 0;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`subscription delivered ${matched} of ${count} expected events in ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    while (matched < count) {
      const next = await Promise.race([iterator.next(), timedOut]);
      if (next.done) throw new Error(`subscription ended after ${matched} of ${count} expected events`);
      const isWanted = wanted(next.value);
      if (isWanted) matched++;
      if (isWanted || keepAll) kept.push(next.value);
    }
    await iterator.return?.();
    return kept;
  } catch (error) {
    void iterator.return?.();
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
