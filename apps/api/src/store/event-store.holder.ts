import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { EventStore } from '@bsc/event-store';
import { ProjectionsService } from '../read-models/projections.service';

/** The opened store with the URL it came from (safe to log once redacted). */
export class EventStoreHolder {
  constructor(
    readonly store: EventStore,
    readonly redactedUrl: string,
  ) {}
}

/**
 * The end of a graceful stop, in one place because Nest runs one phase's hooks concurrently: it runs after
 * the HTTP server stopped taking connections and in-flight requests finished (reads waiting for
 * `minPosition` still see projections advance), then checkpoints projections, then closes the store.
 */
@Injectable()
export class StoreLifecycle implements OnApplicationShutdown {
  constructor(
    private readonly holder: EventStoreHolder,
    private readonly projections: ProjectionsService,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.projections.stop();
    await this.holder.store.close();
  }
}
