import { EventStore, ReadAllOptions, StoredEvent } from '@bsc/event-store';

async function* tap(events: AsyncIterable<StoredEvent>, onPosition: (position: number) => void): AsyncGenerator<StoredEvent> {
  for await (const event of events) {
    onPosition(event.position);
    yield event;
  }
}

/**
 * The same store, reporting the position of every event read from the global log. Library checks
 * (integrity, anchors) count events or nothing; positions give a bar that ends at the head whatever the
 * adapter numbers them with.
 */
export const reportingReads = (store: EventStore, onPosition: (position: number) => void): EventStore => ({
  append: (streamId, events, options) => store.append(streamId, events, options),
  appendMany: (appends) => store.appendMany(appends),
  readStream: (streamId, options) => store.readStream(streamId, options),
  readStreams: (streamIds) => store.readStreams(streamIds),
  readAll: (options?: ReadAllOptions) => tap(store.readAll(options), onPosition),
  subscribeAll: (options) => store.subscribeAll(options),
  subscribeAllPages: (options) => store.subscribeAllPages(options),
  headPosition: () => store.headPosition(),
  ping: () => store.ping(),
  close: () => store.close(),
});
