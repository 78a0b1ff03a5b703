import {
  AppendOptions,
  AppendResult,
  EventStore,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  StoredEvent,
  StreamAppend,
  StreamAppendOutcome,
  StreamNotFound,
  SubscribeAllOptions,
} from '@bsc/event-store';

/** What the decorator reports to; kept narrow so the store does not depend on the metrics library. */
export interface StoreObserver {
  eventsAppendedOf(types: readonly string[]): void;
  storeError(operation: string, error: unknown): void;
}

/**
 * Counts appended events and failed calls around any adapter. Every writer (single endpoints, batch,
 * import, demo) gets the store from the one place that wraps it, so none of them can bypass the count.
 */
export class InstrumentedEventStore implements EventStore {
  constructor(
    private readonly inner: EventStore,
    private readonly observer: StoreObserver,
  ) {}

  async append(streamId: string, events: readonly NewEvent[], options: AppendOptions): Promise<AppendResult> {
    const result = await this.observe('append', () => this.inner.append(streamId, events, options));
    this.observer.eventsAppendedOf(events.map((event) => event.type));
    return result;
  }

  /** Counts the entries that were written and reports each refused one, as the same appends one by one would. */
  async appendMany(appends: readonly StreamAppend[]): Promise<StreamAppendOutcome[]> {
    const outcomes = await this.observe('appendMany', () => this.inner.appendMany(appends));
    const written: string[] = [];
    outcomes.forEach((outcome, i) => {
      if (outcome.ok) written.push(...appends[i].events.map((event) => event.type));
      else this.report('appendMany', outcome.error);
    });
    if (written.length > 0) this.observer.eventsAppendedOf(written);
    return outcomes;
  }

  readStream(streamId: string, options?: ReadStreamOptions): AsyncIterable<StoredEvent> {
    return this.observeIterable('readStream', () => this.inner.readStream(streamId, options));
  }

  readStreams(streamIds: readonly string[]): Promise<Map<string, StoredEvent[]>> {
    return this.observe('readStreams', () => this.inner.readStreams(streamIds));
  }

  readAll(options?: ReadAllOptions): AsyncIterable<StoredEvent> {
    return this.observeIterable('readAll', () => this.inner.readAll(options));
  }

  subscribeAll(options?: SubscribeAllOptions): AsyncIterable<StoredEvent> {
    return this.observeIterable('subscribeAll', () => this.inner.subscribeAll(options));
  }

  subscribeAllPages(options?: SubscribeAllOptions): AsyncIterable<readonly StoredEvent[]> {
    return this.observeIterable('subscribeAllPages', () => this.inner.subscribeAllPages(options));
  }

  headPosition(): Promise<number> {
    return this.observe('headPosition', () => this.inner.headPosition());
  }

  ping(): Promise<void> {
    return this.observe('ping', () => this.inner.ping());
  }

  close(): Promise<void> {
    return this.observe('close', () => this.inner.close());
  }

  private async observe<T>(operation: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      this.report(operation, error);
      throw error;
    }
  }

  /**
   * Passes `next` and `return` straight through instead of wrapping in an async generator: a generator
   * would queue `return()` behind a pending `next()`, and a live subscription's `next()` may wait forever.
   */
  private observeIterable<T>(operation: string, open: () => AsyncIterable<T>): AsyncIterable<T> {
    const fail = (error: unknown): never => {
      this.report(operation, error);
      throw error;
    };
    return {
      [Symbol.asyncIterator]: (): AsyncIterator<T> => {
        const inner = open()[Symbol.asyncIterator]();
        return {
          next: (...args: [] | [unknown]) => inner.next(...args).catch(fail),
          return: (value?: unknown) => (inner.return ? inner.return(value).catch(fail) : Promise.resolve({ done: true as const, value: undefined })),
          throw: (error?: unknown) => (inner.throw ? inner.throw(error).catch(fail) : Promise.reject(error)),
        };
      },
    };
  }

  /** A missing stream is an answer (every new aggregate starts with one), not a failure of the store. */
  private report(operation: string, error: unknown): void {
    if (error instanceof StreamNotFound) return;
    this.observer.storeError(operation, error);
  }
}
