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
  // Seen on the emulator: a batch read 600 missing streams at once, each answered stream-not-found, and their
  // calls were then reset with the HTTP/2 session ("13 INTERNAL: Received RST_STREAM"). The client emitted
  // that as an 'error' event on reads whose iteration was over; with no listener left, it crashed the API.
  it.each([
    ['readStream', (store: EsdbEventStore) => store.readStream('plant-1')],
    ['readAll', (store: EsdbEventStore) => store.readAll()],
    ['subscribeAll', (store: EsdbEventStore) => store.subscribeAll()],
  ])('%s reports the first error and survives one emitted after its iteration ended', async (_name, iterate) => {
    const read = clientRead();
    const reading = (async () => {
      for await (const event of iterate(storeReading(read))) void event;
    })();
    await new Promise((resolve) => setImmediate(resolve));

    read.emit('error', new Error('stream not found'));
    await expect(reading).rejects.toThrow('stream not found');
    expect(() => read.emit('error', new Error('13 INTERNAL: Received RST_STREAM'))).not.toThrow();
  });

  it('survives an error emitted after a read ended normally', async () => {
    const read = clientRead();
    const reading = (async () => {
      for await (const event of storeReading(read).readAll()) void event;
    })();
    read.end();
    await reading;

    expect(() => read.emit('error', new Error('13 INTERNAL: Received RST_STREAM'))).not.toThrow();
  });
});
