import { NO_STREAM, StoreUnavailable, StoredEvent, WrongExpectedRevision } from '@bsc/event-store';
import { MemoryEventStore } from '@bsc/event-store/adapters/memory/memory-event-store';
import { InstrumentedEventStore, StoreObserver } from './instrumented-event-store';

const recorder = () => {
  const appended: string[] = [];
  const errors: { operation: string; error: string }[] = [];
  const observer: StoreObserver = {
    eventsAppendedOf: (types) => appended.push(...types),
    storeError: (operation, error) => errors.push({ operation, error: error instanceof Error ? error.name : String(error) }),
  };
  return { appended, errors, observer };
};

const event = (type: string) => ({ eventId: crypto.randomUUID(), type, data: {}, metadata: {} });

const drain = async (iterable: AsyncIterable<StoredEvent>): Promise<StoredEvent[]> => {
  const events: StoredEvent[] = [];
  for await (const stored of iterable) events.push(stored);
  return events;
};

describe('InstrumentedEventStore', () => {
  it('counts every appended event by type, only once the append succeeded', async () => {
    const { appended, errors, observer } = recorder();
    const store = new InstrumentedEventStore(new MemoryEventStore(), observer);
    await store.append('company-a', [event('CompanyRegistered'), event('CompanyRenamed')], { expectedRevision: NO_STREAM });
    await expect(store.append('company-a', [event('CompanyRegistered')], { expectedRevision: NO_STREAM })).rejects.toBeInstanceOf(WrongExpectedRevision);
    expect(appended).toEqual(['CompanyRegistered', 'CompanyRenamed']);
    expect(errors).toEqual([{ operation: 'append', error: 'WrongExpectedRevision' }]);
    expect(await store.headPosition()).toBe(2);
    expect((await drain(store.readAll())).map((stored) => stored.type)).toEqual(['CompanyRegistered', 'CompanyRenamed']);
  });

  it('counts the entries appendMany wrote and reports each refused entry', async () => {
    const { appended, errors, observer } = recorder();
    const store = new InstrumentedEventStore(new MemoryEventStore(), observer);
    await store.append('company-a', [event('CompanyRegistered')], { expectedRevision: NO_STREAM });
    const outcomes = await store.appendMany([
      { streamId: 'company-a', events: [event('CompanyRegistered')], expectedRevision: NO_STREAM },
      { streamId: 'company-b', events: [event('CompanyRegistered'), event('CompanyRenamed')], expectedRevision: NO_STREAM },
    ]);
    expect(outcomes.map((outcome) => outcome.ok)).toEqual([false, true]);
    expect(appended).toEqual(['CompanyRegistered', 'CompanyRegistered', 'CompanyRenamed']);
    expect(errors).toEqual([{ operation: 'appendMany', error: 'WrongExpectedRevision' }]);
  });

  it('does not count a missing stream as a store error, but does count failures of reads and pings', async () => {
    const { errors, observer } = recorder();
    const inner = new MemoryEventStore();
    const store = new InstrumentedEventStore(inner, observer);
    await expect(drain(store.readStream('company-none'))).rejects.toThrow(/not found/);
    expect(errors).toEqual([]);

    const unavailable = new StoreUnavailable('down');
    inner.ping = () => Promise.reject(unavailable);
    inner.readAll = () => ({
      [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(unavailable) }),
    });
    await expect(store.ping()).rejects.toBe(unavailable);
    await expect(drain(store.readAll())).rejects.toBe(unavailable);
    expect(errors).toEqual([
      { operation: 'ping', error: 'StoreUnavailable' },
      { operation: 'readAll', error: 'StoreUnavailable' },
    ]);
  });

  it('passes return() straight to the adapter while a next() is still pending, so a live subscription can end', async () => {
    const { observer } = recorder();
    const inner = new MemoryEventStore();
    let returned = false;
    inner.subscribeAll = () => ({
      [Symbol.asyncIterator]: () => ({
        next: () => new Promise<IteratorResult<StoredEvent>>(() => undefined),
        return: async () => {
          returned = true;
          return { done: true as const, value: undefined };
        },
      }),
    });
    const iterator = new InstrumentedEventStore(inner, observer).subscribeAll()[Symbol.asyncIterator]();
    void iterator.next();
    await expect(iterator.return!()).resolves.toEqual({ done: true, value: undefined });
    expect(returned).toBe(true);
  });
});
