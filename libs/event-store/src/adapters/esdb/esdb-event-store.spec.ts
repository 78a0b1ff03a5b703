import { EventStoreDBClient } from '@eventstore/db-client';
import { PassThrough } from 'node:stream';
import { EsdbEventStore } from './esdb-event-store';

/** A client whose every read is the one stream the test drives, as the client's own ReadStream would be. */
const storeReading = (read: PassThrough): EsdbEventStore => {
  const client = { readStream: () => read, readAll: () => read, subscribeToAll: () => read, dispose: async () => undefined };
  return new EsdbEventStore(client as unknown as EventStoreDBClient);
};

const clientRead = (): PassThrough => Object.assign(new PassThrough({ objectMode: true }), { cancel: async () => undefined });

describe('EsdbEventStore and the errors its client emits', () => {
  // Seen on the emulator: after a batch's burst of reads the HTTP/2 session was reset ("13 INTERNAL: Received
  // RST_STREAM"), and the client emitted that as an 'error' event on reads whose iteration had already ended;
  // with no listener left, Node threw it and the API process died.
  it.each([
    ['readStream', (store: EsdbEventStore) => store.readStream('plant-1')],
    ['readAll', (store: EsdbEventStore) => store.readAll()],
    ['subscribeAll', (store: EsdbEventStore) => store.subscribeAll()],
  ])('%s survives an error its client emits after the read ended', async (_name, iterate) => {
    const read = clientRead();
    const reading = (async () => {
      for await (const event of iterate(storeReading(read))) void event;
    })();
    read.end();
    await reading;

    expect(() => read.emit('error', new Error('13 INTERNAL: Received RST_STREAM'))).not.toThrow();
  });

  it('still reports an error emitted while the read is iterated', async () => {
    const read = clientRead();
    const reading = (async () => {
      for await (const event of storeReading(read).readAll()) void event;
    })();
    await new Promise((resolve) => setImmediate(resolve));

    read.emit('error', new Error('13 INTERNAL: Received RST_STREAM'));
    await expect(reading).rejects.toThrow('RST_STREAM');
  });
});
