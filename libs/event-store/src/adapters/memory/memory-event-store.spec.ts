import { randomUUID } from 'node:crypto';
import { NO_STREAM } from '../../expected-revision';
import { DuplicateEventId, StoreUnavailable } from '../../event-store.errors';
import { runEventStoreContract } from '../../testing/event-store.contract';
import { MemoryEventStore } from './memory-event-store';

runEventStoreContract('memory', async () => ({ store: new MemoryEventStore(), cleanup: async () => {} }));

describe('MemoryEventStore', () => {
  const event = (eventId = randomUUID()) => ({ eventId, type: 'Tested', data: {}, metadata: {} });

  it('numbers the log from 1 without gaps, even after refused appends', async () => {
    const store = new MemoryEventStore();
    await store.append('a', [event(), event()], { expectedRevision: NO_STREAM });
    await expect(store.append('a', [event()], { expectedRevision: NO_STREAM })).rejects.toThrow();
    await store.append('b', [event()], { expectedRevision: NO_STREAM });

    const positions = [];
    for await (const stored of store.readAll()) positions.push(stored.position);

    expect(positions).toEqual([1, 2, 3]);
    expect(await store.headPosition()).toBe(3);
  });

  it('refuses an event id already stored in any stream, writing nothing', async () => {
    const store = new MemoryEventStore();
    const reused = randomUUID();
    await store.append('a', [event(reused)], { expectedRevision: NO_STREAM });

    await expect(store.append('b', [event(), event(reused)], { expectedRevision: NO_STREAM })).rejects.toEqual(new DuplicateEventId(reused));
    expect(await store.headPosition()).toBe(1);
  });

  it('refuses an event id repeated inside one append', async () => {
    const store = new MemoryEventStore();
    const repeated = randomUUID();

    await expect(store.append('a', [event(repeated), event(repeated)], { expectedRevision: NO_STREAM })).rejects.toBeInstanceOf(DuplicateEventId);
    expect(await store.headPosition()).toBe(0);
  });

  it('ends subscriptions and refuses calls once closed', async () => {
    const store = new MemoryEventStore();
    const subscription = store.subscribeAll()[Symbol.asyncIterator]();
    const waiting = subscription.next();

    await store.close();

    await expect(waiting).resolves.toEqual({ done: true, value: undefined });
    await expect(store.append('a', [event()], { expectedRevision: NO_STREAM })).rejects.toBeInstanceOf(StoreUnavailable);
    await expect(store.headPosition()).rejects.toBeInstanceOf(StoreUnavailable);
  });
});
