import { EventStore } from '@bsc/event-store';

/** The opened store with the URL it came from (safe to log once redacted). */
export class EventStoreHolder {
  constructor(
    readonly store: EventStore,
    readonly redactedUrl: string,
  ) {}
}
