import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { EventStore } from '@bsc/event-store';

/** The opened store with the URL it came from (safe to log once redacted). */
export class EventStoreHolder {
  constructor(
    readonly store: EventStore,
    readonly redactedUrl: string,
  ) {}
}

/**
 * Closes the store last: Nest runs this after the HTTP server stopped taking requests and in-flight ones
 * finished, and after projections wrote their checkpoint (they stop in `beforeApplicationShutdown`).
 */
@Injectable()
export class StoreLifecycle implements OnApplicationShutdown {
  constructor(private readonly holder: EventStoreHolder) {}

  async onApplicationShutdown(): Promise<void> {
    await this.holder.store.close();
  }
}
