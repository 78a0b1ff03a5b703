import { EventStore } from '@bsc/event-store';
import { ProjectionRunner, locateEvent } from '@bsc/projections';
import { EventLocator } from '../../api/src/ingest/fact-recorder';

/** Building the locator replays the whole log; on a large one that takes a while, and that is fine here. */
const CATCH_UP_TIMEOUT_MS = 30 * 60_000;

/**
 * Finds the stream of an event id for corrections and retractions, as the API's projections do. The
 * projection is started on the first lookup only, so an import without amendments never replays the log.
 */
export class LogLocator implements EventLocator {
  private runner?: ProjectionRunner;

  constructor(private readonly store: EventStore) {}

  async locate(eventId: string): Promise<{ streamId: string; type: string } | undefined> {
    if (!this.runner) {
      this.runner = new ProjectionRunner({ store: this.store });
      await this.runner.start();
    }
    const head = await this.store.headPosition();
    if (this.runner.state.position < head) await this.runner.waitForPosition(head, CATCH_UP_TIMEOUT_MS);
    return locateEvent(this.runner.state, eventId);
  }

  async stop(): Promise<void> {
    await this.runner?.stop();
  }
}
